#!/usr/bin/env python3
"""Records responses.json from a real kube-apiserver (the reference, v1.34.4).

    ci/reference/run-reference.sh /tmp/ref-x            # prints export KUBECONFIG=/tmp/ref-x/admin.kubeconfig
    python3 record.py /tmp/ref-x/admin.kubeconfig        # rewrites responses.json next to this file

Creates the fixture objects of setup.json (409s are fine), replays requests.json as the admin (system:masters
client certificate), anonymously or with a service-account token ("as"), and stores each answer normalised the
way SecurityResourcesGoldenTest normalises the fake's: times, UIDs, JWTs and certificate fingerprints replaced,
SelfSubjectRulesReview rule lists sorted (the real server lists them in Go map order), token claims relative to
"iat". Placeholders ${token:SA[:aud=A|:pod=P|:secret=S]} are tokens requested from the server being recorded.
Regenerate only on purpose and review the diff.
"""
import base64, json, os, re, ssl, sys, tempfile, urllib.request, urllib.error

HERE = os.path.dirname(os.path.abspath(__file__))
USER_AGENT = 'kubetwin-test/1.0'


def kubeconfig(path):
    text = open(path).read()
    get = lambda key: re.search(key + r':\s*(\S+)', text).group(1)
    tmp = tempfile.mkdtemp()
    files = {}
    for key, name in (('certificate-authority-data', 'ca'), ('client-certificate-data', 'crt'), ('client-key-data', 'key')):
        files[name] = os.path.join(tmp, name)
        open(files[name], 'wb').write(base64.b64decode(get(key)))
    return get('server'), files


def send(server, files, method, path, body=None, headers=(), cert=True, token=None, content_type='application/json'):
    ctx = ssl.create_default_context(cafile=files['ca'])
    if cert:
        ctx.load_cert_chain(files['crt'], files['key'])
    req = urllib.request.Request(server + path, data=None if body is None else body.encode(), method=method)
    req.add_header('User-Agent', USER_AGENT)
    req.add_header('Accept', 'application/json')
    if body is not None:
        req.add_header('Content-Type', content_type)
    if token:
        req.add_header('Authorization', 'Bearer ' + token)
    for k, v in headers:
        req.add_header(k, v)
    try:
        r = urllib.request.urlopen(req, context=ctx)
        return r.status, r.read().decode(), r.headers.get_all('Warning') or []
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), e.headers.get_all('Warning') or []


def normalise(text):
    text = re.sub(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', '<TIME>', text)
    text = re.sub(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<UID>', text)
    text = re.sub(r'eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+', '<JWT>', text)
    return re.sub(r'X509SHA256=[0-9a-f]+', 'X509SHA256=<FP>', text)


def main():
    server, files = kubeconfig(sys.argv[1])
    for obj in json.load(open(os.path.join(HERE, 'setup.json'))):
        send(server, files, 'POST', obj['path'], obj['body'])
    tokens = {}

    def token(spec):
        if spec not in tokens:
            parts = spec.split(':')
            body = {}
            for extra in parts[1:]:
                key, value = extra.split('=')
                if key == 'aud':
                    body['audiences'] = [value]
                else:
                    body['boundObjectRef'] = {'kind': key.capitalize(), 'apiVersion': 'v1', 'name': value}
            code, text, _ = send(server, files, 'POST', '/api/v1/namespaces/default/serviceaccounts/%s/token' % parts[0],
                                 json.dumps({'apiVersion': 'authentication.k8s.io/v1', 'kind': 'TokenRequest', 'spec': body}))
            tokens[spec] = json.loads(text)['status']['token']
        return tokens[spec]

    out = []
    for r in json.load(open(os.path.join(HERE, 'requests.json'))):
        body = r.get('body')
        if body is not None:
            body = re.sub(r'\$\{token:([^}]*)\}', lambda m: token(m.group(1)), body)
        who = r.get('as', 'admin')
        code, text, warnings = send(server, files, r['method'], r['path'], body, r.get('headers', []),
                                    cert=who == 'admin', token=token(who[6:]) if who.startswith('token:') else None,
                                    content_type=r.get('contentType', 'application/json'))
        entry = {'name': r['name'], 'code': code}
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if parsed and parsed.get('kind') == 'SelfSubjectRulesReview':
            status = parsed['status']
            for key in ('resourceRules', 'nonResourceRules'):
                status[key].sort(key=lambda rule: json.dumps(rule, separators=(',', ':')))
            text = json.dumps(parsed, separators=(',', ':'))
        entry['body'] = normalise(text.rstrip('\n'))
        if parsed and parsed.get('kind') == 'TokenRequest' and code == 201:
            payload = parsed['status']['token'].split('.')[1]
            claims = json.loads(base64.urlsafe_b64decode(payload + '=' * (-len(payload) % 4)))
            iat = claims['iat']
            for key in ('exp', 'iat', 'nbf'):
                claims[key] -= iat
            if 'warnafter' in claims['kubernetes.io']:
                claims['kubernetes.io']['warnafter'] -= iat
            entry['claims'] = normalise(json.dumps(claims, sort_keys=True, separators=(',', ':')))
        if warnings:
            entry['warnings'] = warnings
        out.append(entry)
    with open(os.path.join(HERE, 'responses.json'), 'w') as f:
        f.write('[\n' + ',\n'.join(json.dumps(e, separators=(', ', ': ')) for e in out) + '\n]\n')
    print('recorded %d responses' % len(out))


if __name__ == '__main__':
    main()
