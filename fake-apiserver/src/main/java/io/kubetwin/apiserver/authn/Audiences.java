package io.kubetwin.apiserver.authn;

import java.util.ArrayList;
import java.util.List;

/** authenticator.Audiences helpers (k8s.io/apiserver/pkg/authentication/authenticator/audiences.go). */
public final class Audiences {
    private Audiences() {}

    /** The members of {@code target}, in target order, that {@code have} also contains (Audiences.Intersect). */
    public static List<String> intersect(List<String> have, List<String> target) {
        List<String> selected = new ArrayList<>();
        for (String t : target) {
            if (have.contains(t)) {
                selected.add(t);
            }
        }
        return List.copyOf(selected);
    }
}
