package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.registry.validation.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks of pod validation that {@code --allow-privileged} governs (pkg/apis/core/validation/validation.go):
 * ValidateSecurityContext's {@code privileged} for every container, and validateWindowsHostProcessPod, for pods and
 * for the pod templates of the workload kinds. Immutable; thread-safe.
 */
public final class PrivilegeValidation {
    private static final String[] CONTAINER_LISTS = {"initContainers", "containers", "ephemeralContainers"};

    private final Capabilities capabilities;

    public PrivilegeValidation(Capabilities capabilities) {
        this.capabilities = capabilities;
    }

    /** ValidateSecurityContext: a privileged container, unless the cluster allows them. */
    public void container(List<FieldError> errs, JsonNode container, String path) {
        JsonNode sc = container.path("securityContext");
        if (sc.path("privileged").asBoolean(false) && !capabilities.allowPrivileged()) {
            errs.add(FieldError.forbidden(path + ".securityContext.privileged", "disallowed by cluster policy"));
        }
    }

    /**
     * ValidatePodTemplateSpec's part of these checks for the template at {@code templatePath}: every
     * container of validateContainers, validateInitContainers and validateEphemeralContainers in that order, then
     * validateWindowsHostProcessPod. Empty when the template asks for nothing privileged.
     */
    public List<FieldError> template(JsonNode template, String templatePath) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = template.path("spec");
        String specPath = templatePath + ".spec";
        for (String list : new String[] {"containers", "initContainers", "ephemeralContainers"}) {
            JsonNode containers = spec.path(list);
            for (int i = 0; i < containers.size(); i++) {
                container(errs, containers.get(i), specPath + "." + list + "[" + i + "]");
            }
        }
        hostProcess(errs, spec, specPath);
        return errs;
    }

    /**
     * validateWindowsHostProcessPod: hostProcess set on the pod and a container must agree; if any container is a
     * hostProcess container (set or inherited) all must be, the pod must use the host network, and the cluster must
     * allow privileged pods. Containers are visited as VisitContainersWithPath does: init, regular, ephemeral.
     */
    public void hostProcess(List<FieldError> errs, JsonNode spec, String specPath) {
        JsonNode podHostProcess =
                spec.path("securityContext").path("windowsOptions").get("hostProcess");
        boolean podSet = podHostProcess != null && podHostProcess.isBoolean();
        int containers = 0;
        int hostProcessContainers = 0;
        for (String list : CONTAINER_LISTS) {
            JsonNode items = spec.path(list);
            for (int i = 0; i < items.size(); i++) {
                containers++;
                JsonNode own = items.get(i)
                        .path("securityContext")
                        .path("windowsOptions")
                        .get("hostProcess");
                boolean ownSet = own != null && own.isBoolean();
                if (podSet && ownSet && podHostProcess.asBoolean() != own.asBoolean()) {
                    errs.add(FieldError.invalid(
                            specPath + "." + list + "[" + i + "].securityContext.windowsOptions.hostProcess",
                            own.asBoolean(),
                            "pod hostProcess value must be identical if both are specified, was "
                                    + podHostProcess.asBoolean()));
                }
                if (ownSet ? own.asBoolean() : podSet && podHostProcess.asBoolean()) {
                    hostProcessContainers++;
                }
            }
        }
        if (hostProcessContainers == 0) {
            return;
        }
        if (hostProcessContainers != containers) {
            errs.add(FieldError.invalid(
                    specPath,
                    "",
                    "If pod contains any hostProcess containers then all containers must be HostProcess containers"));
        }
        if (!spec.path("hostNetwork").asBoolean(false)) {
            errs.add(FieldError.invalid(
                    specPath + ".hostNetwork",
                    false,
                    "hostNetwork must be true if pod contains any hostProcess containers"));
        }
        if (!capabilities.allowPrivileged()) {
            errs.add(FieldError.forbidden(specPath, "hostProcess containers are disallowed by cluster policy"));
        }
    }
}
