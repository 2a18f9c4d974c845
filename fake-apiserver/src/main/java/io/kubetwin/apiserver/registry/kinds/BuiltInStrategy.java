package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.patch.MergeKeys;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.validation.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The strategy of the built-in kinds whose behaviour is the usual one of their strategy.go upstream,
 * configured per kind rather than written as a class per kind: generation tracking, a status reset on
 * create and carried over on update (kinds with a status subresource), the versioned defaults, the
 * kind's validation, immutable fields, merge keys and printer. Immutable once built; thread-safe.
 */
public final class BuiltInStrategy implements ResourceStrategy {
    private final boolean tracksGeneration;
    private final JsonNode initialStatus;
    private final Consumer<ObjectNode> defaults;
    private final Function<ObjectNode, List<FieldError>> validation;
    private final BiFunction<ObjectNode, ObjectNode, List<FieldError>> updateValidation;
    private final MergeKeys mergeKeys;
    private final TableConvertor table;
    private final Consumer<ObjectNode> onCreate;
    private final BiConsumer<ObjectNode, ObjectNode> onUpdate;
    private final boolean returnDeletedObject;
    private final Names.NameRule nameRule;
    private final BiConsumer<ObjectNode, ObjectNode> dropDisabled;
    private final BiConsumer<ObjectNode, ObjectNode> dropDisabledFromStatus;
    private final boolean annotationsLikeSpec;

    private BuiltInStrategy(Builder b) {
        this.tracksGeneration = b.tracksGeneration;
        this.initialStatus = b.initialStatus;
        this.defaults = b.defaults;
        this.validation = b.validation;
        this.updateValidation = b.updateValidation;
        this.mergeKeys = b.mergeKeys;
        this.table = b.table;
        this.onCreate = b.onCreate;
        this.onUpdate = b.onUpdate;
        this.returnDeletedObject = b.returnDeletedObject;
        this.nameRule = b.nameRule;
        this.dropDisabled = b.dropDisabled;
        this.dropDisabledFromStatus = b.dropDisabledFromStatus;
        this.annotationsLikeSpec = b.annotationsLikeSpec;
    }

    @Override
    public boolean statusKeepsNewAnnotations() {
        return annotationsLikeSpec;
    }

    @Override
    public boolean changesGeneration(ObjectNode object, ObjectNode old) {
        return ResourceStrategy.super.changesGeneration(object, old)
                || annotationsLikeSpec
                        && !object.path("metadata")
                                .path("annotations")
                                .equals(old.path("metadata").path("annotations"));
    }

    @Override
    public Names.NameRule nameRule() {
        return nameRule;
    }

    @Override
    public boolean returnDeletedObject() {
        return returnDeletedObject;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean tracksGeneration() {
        return tracksGeneration;
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        defaults.accept(object);
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        if (initialStatus != null) {
            // PrepareForCreate: what a client sends as status is dropped; the zero status is written
            object.set("status", initialStatus.deepCopy());
        }
        dropDisabled.accept(object, null);
        onCreate.accept(object);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        dropDisabled.accept(object, old);
        onUpdate.accept(object, old);
        if (initialStatus != null) {
            if (old.has("status")) {
                object.set("status", old.get("status").deepCopy());
            } else {
                object.remove("status");
            }
        }
    }

    @Override
    public void prepareForStatusUpdate(ObjectNode object, ObjectNode old) {
        dropDisabledFromStatus.accept(object, old);
    }

    @Override
    public List<FieldError> validate(ObjectNode object) {
        return validation.apply(object);
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode object, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(validation.apply(object));
        errs.addAll(updateValidation.apply(object, old));
        return errs;
    }

    @Override
    public MergeKeys mergeKeys() {
        return mergeKeys;
    }

    @Override
    public TableConvertor table() {
        return table;
    }

    @Override
    public Map<String, List<String>> nestedFieldOrder() {
        return Map.of();
    }

    /** Go's field order for the kind, from the recorded type data. */
    @Override
    public void canonicalize(ObjectNode object) {
        io.kubetwin.apiserver.registry.GoFieldOrder.apply(object);
    }

    /** Configures one kind; every setting defaults to "nothing special". */
    public static final class Builder {
        private boolean tracksGeneration;
        private JsonNode initialStatus;
        private Consumer<ObjectNode> defaults = o -> {};
        private Function<ObjectNode, List<FieldError>> validation = o -> List.of();
        private BiFunction<ObjectNode, ObjectNode, List<FieldError>> updateValidation = (o, old) -> List.of();
        private MergeKeys mergeKeys = MergeKeys.NONE;
        private TableConvertor table = TableConvertor.DEFAULT;
        private Consumer<ObjectNode> onCreate = o -> {};
        private BiConsumer<ObjectNode, ObjectNode> onUpdate = (o, old) -> {};
        private boolean returnDeletedObject;
        private Names.NameRule nameRule = Names.DNS_SUBDOMAIN;
        private BiConsumer<ObjectNode, ObjectNode> dropDisabled = (o, old) -> {};
        private BiConsumer<ObjectNode, ObjectNode> dropDisabledFromStatus = (o, old) -> {};
        private boolean annotationsLikeSpec;

        /** metadata.generation is 1 on create and bumped by changes outside metadata and status. */
        public Builder generation() {
            tracksGeneration = true;
            return this;
        }

        /** A status subresource: status is reset to this JSON on create and kept on update of the main resource. */
        public Builder status(String initialStatusJson) {
            try {
                initialStatus = new ObjectMapper().readTree(initialStatusJson);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
            return this;
        }

        public Builder defaults(Consumer<ObjectNode> d) {
            defaults = defaults.andThen(d);
            return this;
        }

        public Builder validation(Function<ObjectNode, List<FieldError>> v) {
            Function<ObjectNode, List<FieldError>> before = validation;
            validation = o -> {
                List<FieldError> errs = new ArrayList<>(before.apply(o));
                errs.addAll(v.apply(o));
                return errs;
            };
            return this;
        }

        public Builder updateValidation(BiFunction<ObjectNode, ObjectNode, List<FieldError>> v) {
            updateValidation = v;
            return this;
        }

        public Builder mergeKeys(Map<String, String> keyed) {
            mergeKeys = MergeKeys.NONE.with(keyed);
            return this;
        }

        public Builder table(TableConvertor t) {
            table = t;
            return this;
        }

        /** Extra work of PrepareForCreate after the status reset (e.g. allocations). */
        public Builder onCreate(Consumer<ObjectNode> c) {
            onCreate = c;
            return this;
        }

        /** The rule for metadata.name (DNS-1123 subdomain unless the kind says otherwise). */
        public Builder nameRule(Names.NameRule rule) {
            nameRule = rule;
            return this;
        }

        /** DELETE answers the deleted object (the registry's ReturnDeletedObject), as for Services. */
        public Builder returnsDeletedObject() {
            returnDeletedObject = true;
            return this;
        }

        /** Extra work of PrepareForUpdate, before the status is carried over. */
        public Builder onUpdate(BiConsumer<ObjectNode, ObjectNode> u) {
            onUpdate = u;
            return this;
        }

        /**
         * The drops of fields whose feature gate is off, first in PrepareForCreate (the old object null) and
         * PrepareForUpdate ({@link GatedFields}).
         */
        public Builder dropDisabled(BiConsumer<ObjectNode, ObjectNode> drop) {
            dropDisabled = dropDisabled.andThen(drop);
            return this;
        }

        /** The drops of the status strategy's PrepareForUpdate, after everything but the status is kept. */
        public Builder dropDisabledFromStatus(BiConsumer<ObjectNode, ObjectNode> drop) {
            dropDisabledFromStatus = dropDisabledFromStatus.andThen(drop);
            return this;
        }

        /**
         * Deployments (pkg/registry/apps/deployment/strategy.go): an annotation change bumps the generation as a
         * spec change does (annotations are copied to the ReplicaSets), and a status write keeps the new annotations.
         */
        public Builder annotationsLikeSpec() {
            annotationsLikeSpec = true;
            return this;
        }

        public BuiltInStrategy build() {
            return new BuiltInStrategy(this);
        }
    }

    static ObjectNode object(ObjectNode parent, String field) {
        return parent.get(field) instanceof ObjectNode o ? o : parent.putObject(field);
    }

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
}
