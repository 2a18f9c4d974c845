package io.kubetwin.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kubetwin.apiserver.storage.ObjectKey;
import io.kubetwin.apiserver.storage.ResourceKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keys as the reference kube-apiserver v1.34.4 wrote them into its etcd (etcdctl get --prefix --keys-only). */
class RegistryKeysTest {
    private static final RegistryKeys KEYS = new RegistryKeys("/registry");

    @ParameterizedTest
    @CsvSource({
        "'', configmaps, ns1, cm1, /registry/configmaps/ns1/cm1",
        "'', secrets, ns1, s1, /registry/secrets/ns1/s1",
        "'', namespaces, '', ns1, /registry/namespaces/ns1",
        "'', services, ns1, svc1, /registry/services/specs/ns1/svc1",
        "'', endpoints, ns1, ep1, /registry/services/endpoints/ns1/ep1",
        "'', nodes, '', n1, /registry/minions/n1",
        "'', replicationcontrollers, ns1, rc1, /registry/controllers/ns1/rc1",
        "'', events, ns1, ev1, /registry/events/ns1/ev1",
        "apps, deployments, ns1, d1, /registry/deployments/ns1/d1",
        "batch, cronjobs, ns1, cj1, /registry/cronjobs/ns1/cj1",
        "networking.k8s.io, ingresses, ns1, i1, /registry/ingress/ns1/i1",
        "networking.k8s.io, networkpolicies, ns1, np1, /registry/networkpolicies/ns1/np1",
        "rbac.authorization.k8s.io, clusterroles, '', cr1, /registry/clusterroles/cr1",
        "rbac.authorization.k8s.io, rolebindings, ns1, rb1, /registry/rolebindings/ns1/rb1",
        "admissionregistration.k8s.io, validatingwebhookconfigurations, '', v, /registry/validatingwebhookconfigurations/v",
        "policy, poddisruptionbudgets, ns1, p, /registry/poddisruptionbudgets/ns1/p",
        "autoscaling, horizontalpodautoscalers, ns1, h1, /registry/horizontalpodautoscalers/ns1/h1",
        "flowcontrol.apiserver.k8s.io, flowschemas, '', exempt, /registry/flowschemas/exempt",
        "apiregistration.k8s.io, apiservices, '', v1.example.org, /registry/apiregistration.k8s.io/apiservices/v1.example.org",
        "apiextensions.k8s.io, customresourcedefinitions, '', widgets.example.com, /registry/apiextensions.k8s.io/customresourcedefinitions/widgets.example.com",
        "example.com, widgets, ns1, w1, /registry/example.com/widgets/ns1/w1",
        "example.com, gadgets, '', g1, /registry/example.com/gadgets/g1",
    })
    void keysAreTheReferences(String group, String resource, String namespace, String name, String key) {
        ObjectKey object = new ObjectKey(group, resource, namespace, name);
        assertEquals(key, KEYS.key(object));
        ResourceKey r = object.resourceKey();
        assertEquals(object, RegistryKeys.parse(r, KEYS.resourcePrefix(r), key));
    }

    @ParameterizedTest
    @CsvSource({"/registry/, /registry/secrets/", "/registry, /registry/secrets/", "/kubetwin/, /kubetwin/secrets/"})
    void thePrefixIsJoinedAsGoJoinsPaths(String prefix, String secrets) {
        assertEquals(secrets, new RegistryKeys(prefix).resourcePrefix(new ResourceKey("", "secrets")));
    }

    @ParameterizedTest
    @CsvSource({"/registry/secrets/", "/registry/secrets/ns1/", "/registry/secrets/ns1/a/b", "/registry/secretsx/a"})
    void keysThatNameNoObjectAreIgnored(String key) {
        ResourceKey secrets = new ResourceKey("", "secrets");
        assertNull(RegistryKeys.parse(secrets, KEYS.resourcePrefix(secrets), key));
    }
}
