package io.kubetwin.apiserver.authz;

import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import java.util.List;

/**
 * Allows, with an empty reason, any user in one of the privileged groups; kube-apiserver always puts one for
 * {@code system:masters} first in its chain (pkg/kubeapiserver/authorizer/reload.go). Mirrors
 * privilegedGroupAuthorizer in k8s.io/apiserver/pkg/authorization/authorizerfactory/builtin.go.
 */
public final class PrivilegedGroupAuthorizer implements Authorizer {
    private final List<String> groups;

    public PrivilegedGroupAuthorizer(List<String> groups) {
        this.groups = List.copyOf(groups);
    }

    /** The one kube-apiserver installs: {@code system:masters}. */
    public static PrivilegedGroupAuthorizer systemMasters() {
        return new PrivilegedGroupAuthorizer(List.of(UserInfo.SYSTEM_PRIVILEGED_GROUP));
    }

    @Override
    public Decision authorize(Attributes attributes) {
        if (attributes.user() == null) {
            // upstream: NoOpinion plus the error "no user on request." -> a 500 unless a later mode decides
            throw new IllegalStateException("no user on request.");
        }
        for (String group : attributes.user().groups()) {
            if (groups.contains(group)) {
                return Decision.allow("");
            }
        }
        return Decision.noOpinion("");
    }
}
