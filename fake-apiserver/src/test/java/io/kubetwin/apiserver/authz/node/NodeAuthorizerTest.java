package io.kubetwin.apiserver.authz.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.features.FeatureGates;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Decision;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pure core of the Node authorizer for the resources the fake does not serve (so no request over TLS reaches
 * them): leases, CSINodes, resource slices, claim status; rules and reasons from node_authorizer.go of v1.34.4.
 */
class NodeAuthorizerTest {
    private static final UserInfo NODE1 = UserInfo.of("system:node:node1", "system:nodes", "system:authenticated");
    private static final NodeAuthorizer AUTHORIZER = NodeAuthorizer.withBootstrapRules(new NodeGraph());

    @ParameterizedTest(name = "{0} {1}/{2}/{3} {4}/{5} {6} -> {7}")
    @CsvSource(delimiter = '|', textBlock = """
            get    | coordination.k8s.io | leases         |        | kube-node-lease | node1 |                      | allow |
            update | coordination.k8s.io | leases         |        | kube-node-lease | node2 |                      | none  | can only access node lease with the same name as the requesting node
            create | coordination.k8s.io | leases         |        | kube-node-lease | node2 |                      | allow |
            get    | coordination.k8s.io | leases         |        | default         | node1 |                      | none  | can only access leases in the "kube-node-lease" system namespace
            list   | coordination.k8s.io | leases         |        | kube-node-lease |       |                      | none  | can only get, create, update, patch, or delete a node lease
            patch  | storage.k8s.io      | csinodes       |        |                 | node1 |                      | allow |
            patch  | storage.k8s.io      | csinodes       |        |                 | node2 |                      | none  | can only access CSINode with the same name as the requesting node
            list   | resource.k8s.io     | resourceslices |        |                 |       | spec.nodeName=node1  | allow |
            list   | resource.k8s.io     | resourceslices |        |                 |       | spec.nodeName!=node1 | none  | can only list/watch/deletecollection resourceslices with nodeName field selector
            update |                     | persistentvolumeclaims | status | default | c1 |                  | none  | no relationship found between node 'node1' and this object
            get    |                     | persistentvolumeclaims | status | default | c1 |                  | none  | can only get/update/patch this type
            create |                     | serviceaccounts | token | default        |       |                      | none  | can only create tokens for individual service accounts
            list   |                     | services       |        |                 |       |                      | allow |
            create | authorization.k8s.io | subjectaccessreviews |  |                 |       |                      | allow |
            delete |                     | nodes          |        |                 | node1 |                      | none  |
            watch  |                     | pods           |        |                 |       | spec.nodeName=node2  | none  | can only list/watch pods with spec.nodeName field selector
            """)
    void decides(
            String verb,
            String group,
            String resource,
            String subresource,
            String namespace,
            String name,
            String fieldSelector,
            String decision,
            String reason) {
        Attributes a = new Attributes(
                NODE1,
                verb,
                true,
                "",
                nz(namespace),
                nz(group),
                "v1",
                resource,
                nz(subresource),
                nz(name),
                fieldSelector);
        Decision expected = decision.equals("allow") ? Decision.allow("") : Decision.noOpinion(nz(reason));
        assertEquals(expected, AUTHORIZER.authorize(a));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            v1.34's defaults                                                          | 1.34 |                                                                     | no relationship found between node 'node1' and this object
            1.33's defaults                                                           | 1.33 |                                                                     | not allowed to get service accounts
            KubeletServiceAccountTokenForCredentialProviders off                      | 1.34 | KubeletServiceAccountTokenForCredentialProviders=false              | not allowed to get service accounts
            KubeletServiceAccountTokenForCredentialProviders off, PodCertificateRequest on | 1.34 | KubeletServiceAccountTokenForCredentialProviders=false,PodCertificateRequest=true | no relationship found between node 'node1' and this object
            """)
    void gettingAServiceAccountNeedsOneOfTwoGates(String name, String release, String gates, String reason) {
        FeatureGates parsed = FeatureGates.parse(gates == null ? List.of() : List.of(gates), List.of(release));
        NodeAuthorizer authorizer = NodeAuthorizer.withBootstrapRules(new NodeGraph(), parsed::enabled);
        assertEquals(
                Decision.noOpinion(reason),
                authorizer.authorize(Attributes.resource(NODE1, "get", "", "serviceaccounts", "", "default", "sa1")));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            alice,              system:authenticated
            system:node:node1,  system:authenticated
            """)
    void usersWhoAreNotNodesGetNoOpinionWithoutReason(String user, String group) {
        assertEquals(
                Decision.noOpinion(""),
                AUTHORIZER.authorize(
                        Attributes.resource(UserInfo.of(user, group), "get", "", "secrets", "", "d", "s")));
    }
}
