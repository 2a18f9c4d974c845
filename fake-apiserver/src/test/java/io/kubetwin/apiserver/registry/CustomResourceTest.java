package io.kubetwin.apiserver.registry;

import static io.kubetwin.apiserver.registry.RegistryFixture.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.registry.kinds.GenericStrategy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A resource registered at run time as a CRD would register it; shapes recorded from kube-apiserver v1.34. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomResourceTest {
    RegistryFixture f;
    final List<ResourceCatalog.Change> changes = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        f = new RegistryFixture();
        f.catalog.addListener(changes::add);
        f.registry.strategies().register("example.com", "widgets", GenericStrategy.customResource(null));
        f.catalog.register(
                new ResourceType(
                        "example.com",
                        "v1",
                        "widgets",
                        "widget",
                        "Widget",
                        true,
                        BuiltInResources.CRUD,
                        List.of(),
                        List.of(),
                        List.of()),
                List.of());
    }

    @AfterAll
    void stop() throws Exception {
        f.close();
    }

    @Test
    void servesRegisteredTypesUnstructured() throws Exception {
        assertTrue(changes.get(0) instanceof ResourceCatalog.Change.Added);
        JsonNode w = expect(
                        f.call(
                                "POST",
                                "/apis/example.com/v1/namespaces/default/widgets",
                                "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w1\"},\"spec\":{\"a\":1}}"),
                        201)
                .json();
        assertEquals(1, w.at("/metadata/generation").asInt());
        // unstructured objects serialise as Go maps: every level sorted by key
        assertEquals(
                "[apiVersion, kind, metadata, spec]",
                RestHandlerTest.iteratorToList(w.fieldNames()).toString());
        assertEquals(
                "[creationTimestamp, generation, managedFields, name, namespace, resourceVersion, uid]",
                RestHandlerTest.iteratorToList(w.get("metadata").fieldNames()).toString());
        JsonNode list = expect(f.call("GET", "/apis/example.com/v1/namespaces/default/widgets", null), 200)
                .json();
        assertEquals("WidgetList", list.get("kind").asText());
        assertEquals(
                "[apiVersion, items, kind, metadata]",
                RestHandlerTest.iteratorToList(list.fieldNames()).toString());
        assertEquals(
                "[continue, resourceVersion]",
                RestHandlerTest.iteratorToList(list.get("metadata").fieldNames())
                        .toString());
        assertEquals("Widget", list.at("/items/0/kind").asText());
        RegistryFixture.Reply smp = f.call(
                "PATCH",
                "/apis/example.com/v1/namespaces/default/widgets/w1",
                "{}",
                "application/strategic-merge-patch+json",
                null);
        assertEquals(415, smp.code());
        assertEquals(
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, "
                        + "application/merge-patch+json, application/apply-patch+yaml",
                smp.message());
        JsonNode table = expect(
                        f.call(
                                "GET",
                                "/apis/example.com/v1/namespaces/default/widgets",
                                null,
                                null,
                                TableAndConversionTest.KUBECTL_ACCEPT),
                        200)
                .json();
        assertEquals("Name,Age", TableAndConversionTest.columns(table));
        assertEquals("date", table.at("/columnDefinitions/1/type").asText());
        assertTrue(table.at("/rows/0/cells/1").asText().matches("\\d+s"));
    }

    @Test
    void removedTypesAreNotServed() throws Exception {
        f.catalog.register(
                new ResourceType(
                        "example.com",
                        "v1",
                        "gadgets",
                        "gadget",
                        "Gadget",
                        false,
                        BuiltInResources.CRUD,
                        List.of(),
                        List.of(),
                        List.of()),
                List.of());
        assertEquals(200, f.call("GET", "/apis/example.com/v1/gadgets", null).code());
        assertTrue(f.catalog.remove("example.com", "v1", "gadgets"));
        assertEquals(404, f.call("GET", "/apis/example.com/v1/gadgets", null).code());
        assertTrue(changes.stream()
                .anyMatch(c -> c instanceof ResourceCatalog.Change.Removed r
                        && r.resource().type().plural().equals("gadgets")));
    }
}
