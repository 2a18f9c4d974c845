package io.kubetwin.scenarios.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A suite: one server configuration, its actors, setup objects, steps and cleanup.
 *
 * @param name        unique name (reports, known divergences)
 * @param description what the suite shows
 * @param source      where its cases come from (a seed article, a spec section)
 * @param pending     the whole suite waits for a capability (skipped everywhere with this reason)
 * @param pendingFor  per target name: skipped on that target with this reason
 * @param requires    capabilities every step needs
 * @param server      the kube-apiserver configuration
 * @param kubelets    kubelets registered with it as nodes, addressed by steps with {@code request.kubelet}
 * @param actors      who sends requests (an {@code admin} actor always exists)
 * @param setup       objects applied as admin, in order, before the first step
 * @param steps       the steps, run in order
 * @param cleanup     objects deleted as admin after the steps (setup objects are deleted too, in reverse order)
 * @param webhooks    admission webhooks the runner serves for the suite (see {@link SuiteWebhook})
 * @param file        where the suite was read from (not in YAML)
 */
public record Suite(
        String name,
        String description,
        String source,
        String pending,
        Map<String, String> pendingFor,
        List<Capability> requires,
        ServerConfig server,
        List<KubeletSpec> kubelets,
        List<Actor> actors,
        List<JsonNode> setup,
        List<Step> steps,
        List<JsonNode> cleanup,
        List<SuiteWebhook> webhooks,
        Path file) {

    public Suite {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a suite needs a name");
        }
        pendingFor = pendingFor == null ? Map.of() : Map.copyOf(pendingFor);
        requires = requires == null ? List.of() : List.copyOf(requires);
        server = server == null ? ServerConfig.DEFAULT : server;
        kubelets = kubelets == null ? List.of() : List.copyOf(kubelets);
        actors = actors == null ? List.of() : List.copyOf(actors);
        setup = setup == null ? List.of() : List.copyOf(setup);
        steps = steps == null ? List.of() : List.copyOf(steps);
        cleanup = cleanup == null ? List.of() : List.copyOf(cleanup);
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
        var names = new HashSet<String>();
        for (var step : steps) {
            if (!names.add(step.name())) {
                throw new IllegalArgumentException("suite " + name + ": duplicate step name " + step.name());
            }
        }
        var nodes = new HashSet<String>();
        for (var kubelet : kubelets) {
            if (!nodes.add(kubelet.name())) {
                throw new IllegalArgumentException("suite " + name + ": duplicate kubelet " + kubelet.name());
            }
        }
        for (var step : steps) {
            if (step.request() != null
                    && step.request().kubelet() != null
                    && !nodes.contains(step.request().kubelet())) {
                throw new IllegalArgumentException("suite " + name + ", step " + step.name() + ": unknown kubelet "
                        + step.request().kubelet());
            }
        }
        var actorNames = new HashSet<String>();
        actorNames.add("admin");
        actorNames.add("anonymous");
        for (var actor : actors) {
            if (!actorNames.add(actor.name())
                    && !actor.name().equals("admin")
                    && !actor.name().equals("anonymous")) {
                throw new IllegalArgumentException("suite " + name + ": duplicate actor " + actor.name());
            }
        }
        for (var step : steps) {
            if (!actorNames.contains(step.as())) {
                throw new IllegalArgumentException(
                        "suite " + name + ", step " + step.name() + ": unknown actor " + step.as());
            }
        }
    }

    public Suite withFile(Path path) {
        return new Suite(
                name,
                description,
                source,
                pending,
                pendingFor,
                requires,
                server,
                kubelets,
                actors,
                setup,
                steps,
                cleanup,
                webhooks,
                path);
    }

    /** The actor of that name; {@code admin} and {@code anonymous} exist implicitly. */
    public Actor actor(String actorName) {
        for (var actor : actors) {
            if (actor.name().equals(actorName)) {
                return actor;
            }
        }
        return switch (actorName) {
            case "admin" -> new Actor("admin", Actor.Kind.ADMIN, null, null, null, null, null, null);
            case "anonymous" -> new Actor("anonymous", Actor.Kind.ANONYMOUS, null, null, null, null, null, null);
            default -> throw new IllegalArgumentException("unknown actor " + actorName);
        };
    }

    /** Why the suite (or a step of it) is pending on a target, if it is. */
    public Optional<String> pendingOn(String target, Step step) {
        if (pending != null) {
            return Optional.of(pending);
        }
        if (pendingFor.containsKey(target)) {
            return Optional.of(pendingFor.get(target));
        }
        if (step != null && step.pending() != null) {
            return Optional.of(step.pending());
        }
        if (step != null && step.pendingFor().containsKey(target)) {
            return Optional.of(step.pendingFor().get(target));
        }
        return Optional.empty();
    }
}
