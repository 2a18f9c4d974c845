package io.kubetwin.apiserver.registry.apply;

import io.kubetwin.apiserver.registry.ServedResource;
import java.util.Map;

/**
 * The fields a write cannot change because the strategy resets them (rest.ResetFieldsStrategy GetResetFields),
 * which no manager is recorded as owning: for a resource with a status subresource, status on the main resource and
 * spec on the status subresource, as nearly every strategy upstream declares; exceptions by group/resource below.
 */
final class ResetFields {
    /** GROUP/RESOURCE/SUBRESOURCE to the paths reset, where they differ from the rule. */
    private static final Map<String, String[]> EXCEPTIONS = Map.of(
            // pod/strategy.go podStatusStrategy
            "/pods/status", new String[] {"spec", "metadata.deletionTimestamp", "metadata.ownerReferences"});

    private ResetFields() {}

    /** The reset set, or null when the write resets nothing. */
    static FieldSet of(ServedResource served, String subresource) {
        String[] paths =
                EXCEPTIONS.get(served.type().group() + "/" + served.type().plural() + "/" + subresource);
        if (paths == null) {
            boolean hasStatus = served.type().subresources().contains("status")
                    || served.subresource("status").isPresent();
            if (!hasStatus) {
                return null;
            }
            if (subresource.isEmpty()) {
                paths = new String[] {"status"};
            } else if (subresource.equals("status")) {
                paths = new String[] {"spec"};
            } else {
                return null;
            }
        }
        return FieldSet.of(FieldManagers.paths(paths));
    }
}
