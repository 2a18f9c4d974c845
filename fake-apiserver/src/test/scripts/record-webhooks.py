# The webhook server used to record kube-apiserver v1.34.4's answers (see record-webhooks.sh).
# usage: record-webhooks.py PORT DIR   (DIR holds srv.crt/srv.key; requests are appended to DIR/requests.log)
import json, ssl, sys, time, base64, threading
from http.server import HTTPServer, BaseHTTPRequestHandler
from socketserver import ThreadingMixIn
DIR = sys.argv[2]
LOG = open(DIR + '/requests.log', 'a')
def resp(review, **r):
    out = {"apiVersion": review.get("apiVersion", "admission.k8s.io/v1"), "kind": "AdmissionReview",
           "response": dict({"uid": review["request"]["uid"]}, **r)}
    return out
class H(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        LOG.write(json.dumps({"path": self.path, "headers": dict(self.headers), "body": json.loads(body)}) + "\n"); LOG.flush()
        review = json.loads(body)
        p = self.path.split('?')[0]
        raw = None; code = 200; ctype = 'application/json'
        if p == '/allow': out = resp(review, allowed=True)
        elif p == '/deny': out = resp(review, allowed=False, status={"message": "Image failed policy check: wordpress:latest"})
        elif p == '/deny-empty': out = resp(review, allowed=False)
        elif p == '/deny-reason': out = resp(review, allowed=False, status={"reason": "NotTrusted", "code": 403})
        elif p == '/deny-full': out = resp(review, allowed=False, status={"code": 422, "message": "nope", "reason": "Invalid", "details": {"name": "x", "causes": [{"message": "m", "field": "f"}]}})
        elif p == '/deny-200': out = resp(review, allowed=False, status={"code": 200, "message": "low", "status": "Success"})
        elif p == '/warn': out = resp(review, allowed=True, warnings=["first warning", "second \"quoted\""], auditAnnotations={"k1": "v1", "other": "x"})
        elif p == '/patch':
            patch = [{"op": "add", "path": "/metadata/labels", "value": {"patched": "yes"}}]
            out = resp(review, allowed=True, patchType="JSONPatch", patch=base64.b64encode(json.dumps(patch).encode()).decode())
        elif p == '/patch-bad':
            patch = [{"op": "replace", "path": "/nothing/here", "value": 1}]
            out = resp(review, allowed=True, patchType="JSONPatch", patch=base64.b64encode(json.dumps(patch).encode()).decode())
        elif p == '/patch-notype':
            patch = [{"op": "add", "path": "/metadata/labels", "value": {"patched": "yes"}}]
            out = resp(review, allowed=True, patch=base64.b64encode(json.dumps(patch).encode()).decode())
        elif p == '/patch-validating':
            patch = []
            out = resp(review, allowed=True, patchType="JSONPatch", patch=base64.b64encode(b"[]").decode())
        elif p == '/slow': time.sleep(3); out = resp(review, allowed=True)
        elif p == '/garbage': raw = b'this is not json'; ctype = 'text/plain'
        elif p == '/garbage-json': raw = b'{not json'
        elif p == '/500': raw = b'boom'; code = 500; ctype = 'text/plain'
        elif p == '/wronguid': out = resp(review, allowed=True); out["response"]["uid"] = "wrong"
        elif p == '/nouid': out = resp(review, allowed=True); del out["response"]["uid"]
        elif p == '/noresponse': out = {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"}
        elif p == '/wrongkind': out = resp(review, allowed=True); out["kind"] = "Other"
        elif p == '/v1beta1': out = resp(review, allowed=True); out["apiVersion"] = "admission.k8s.io/v1beta1"
        else: out = resp(review, allowed=True)
        if raw is None: raw = json.dumps(out).encode()
        self.send_response(code); self.send_header('Content-Type', ctype); self.send_header('Content-Length', str(len(raw))); self.end_headers(); self.wfile.write(raw)
class S(ThreadingMixIn, HTTPServer): daemon_threads = True
s = S(('127.0.0.1', int(sys.argv[1])), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(DIR + '/srv.crt', DIR + '/srv.key')
s.socket = ctx.wrap_socket(s.socket, server_side=True)
print("serving", flush=True); s.serve_forever()
