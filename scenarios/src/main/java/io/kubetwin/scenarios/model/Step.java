package io.kubetwin.scenarios.model;

import java.util.List;
import java.util.Map;

/**
 * One action of a suite: an API request, a kubectl command line or an etcd read, run as an actor.
 *
 * @param name       unique within the suite; used in reports and in known-divergence entries
 * @param as         the actor's name
 * @param request    an API request ...
 * @param kubectl    ... or kubectl arguments (a string is split on whitespace, quotes respected)
 * @param etcd       ... or a read straight from etcd ({@link Capability#ETCD})
 * @param expect     what must come back
 * @param compare    response fields (JSON pointers) compared across targets besides status, reason and message
 * @param pending    the step needs a capability that has not landed anywhere (skipped with this reason)
 * @param pendingFor per target name: the step is skipped there with this reason
 * @param requires   capabilities the target must offer ({@link Capability})
 * @param retry      for steps that wait for a controller: retry until expectations hold, up to this many seconds
 */
public record Step(
        String name,
        String as,
        ApiRequest request,
        KubectlCommand kubectl,
        EtcdRequest etcd,
        Expectation expect,
        List<String> compare,
        String pending,
        Map<String, String> pendingFor,
        List<Capability> requires,
        Integer retry) {
    public Step {
        if (name == null) {
            throw new IllegalArgumentException("every step needs a name");
        }
        if ((request != null ? 1 : 0) + (kubectl != null ? 1 : 0) + (etcd != null ? 1 : 0) != 1) {
            throw new IllegalArgumentException("step " + name + ": exactly one of request, kubectl and etcd");
        }
        as = as == null ? "admin" : as;
        expect = expect == null ? Expectation.NONE : expect;
        compare = compare == null ? List.of() : List.copyOf(compare);
        pendingFor = pendingFor == null ? Map.of() : Map.copyOf(pendingFor);
        requires = requires == null ? List.of() : List.copyOf(requires);
    }
}
