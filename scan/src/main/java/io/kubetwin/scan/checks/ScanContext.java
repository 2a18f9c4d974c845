package io.kubetwin.scan.checks;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.scan.ScanOptions;
import io.kubetwin.scan.probe.Answer;
import io.kubetwin.scan.probe.ApiProbe;
import io.kubetwin.scan.probe.PlainProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What every check gets: the kubeconfig's user and an anonymous client of the same server, the credential-less
 * probe for kubelets and etcd, the options, and who the user is. Built once per scan by the scanner.
 *
 * @param user      the kubeconfig's identity
 * @param anonymous no credentials, trusting the kubeconfig's CA
 * @param plain     for kubelet and etcd endpoints
 * @param options   the scan's options
 * @param auditIds  the Audit-IDs the scan sends
 * @param identity  the user as the server sees it (SelfSubjectReview), or null when the server would not say
 */
public record ScanContext(
        ApiProbe user,
        ApiProbe anonymous,
        PlainProbe plain,
        ScanOptions options,
        ApiProbe.AuditIds auditIds,
        UserIdentity identity) {

    public ScanContext {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(anonymous, "anonymous");
    }

    /** A user name and groups, as a SelfSubjectReview or a SubjectAccessReview has them. */
    public record UserIdentity(String name, List<String> groups) {
        public UserIdentity {
            groups = List.copyOf(groups);
        }

        static UserIdentity fromSelfSubjectReview(JsonNode review) {
            var info = review.path("status").path("userInfo");
            var groups = new ArrayList<String>();
            info.path("groups").forEach(g -> groups.add(g.asText()));
            return new UserIdentity(info.path("username").asText(), groups);
        }
    }

    /**
     * Asks the server who the kubeconfig's user is ({@code authentication.k8s.io/v1} SelfSubjectReview, GA in 1.28);
     * null when it does not answer 201.
     */
    public static UserIdentity whoAmI(ApiProbe user) {
        Answer a = user.post(
                "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
        return a.code() == 201 ? UserIdentity.fromSelfSubjectReview(a.json()) : null;
    }
}
