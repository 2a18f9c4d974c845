package io.kubetwin.apiserver.registry.kinds;

import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.patch.MergeKeys;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import io.kubetwin.apiserver.registry.validation.Names;

/** The strategy of kinds with no special behaviour (and of custom resources): all defaults. */
public final class GenericStrategy implements ResourceStrategy {
    private final Names.NameRule nameRule;
    private final boolean tracksGeneration;
    private final TableConvertor table;
    private final boolean customResource;

    public GenericStrategy(Names.NameRule nameRule, boolean tracksGeneration, TableConvertor table) {
        this(nameRule, tracksGeneration, table, false);
    }

    private GenericStrategy(
            Names.NameRule nameRule, boolean tracksGeneration, TableConvertor table, boolean customResource) {
        this.nameRule = nameRule;
        this.tracksGeneration = tracksGeneration;
        this.table = table;
        this.customResource = customResource;
    }

    /**
     * Objects of a custom resource without printer columns: DNS-subdomain names, generation tracked,
     * served unstructured, no strategic merge patch (415 as upstream), Name/Age table. A CRD with
     * additionalPrinterColumns passes its own {@link TableConvertor}.
     */
    public static GenericStrategy customResource(TableConvertor table) {
        return new GenericStrategy(
                Names.DNS_SUBDOMAIN, true, table == null ? TableConvertor.CUSTOM_RESOURCE_DEFAULT : table, true);
    }

    @Override
    public boolean unstructured() {
        return customResource;
    }

    @Override
    public MergeKeys mergeKeys() {
        return customResource ? null : MergeKeys.NONE;
    }

    /** DNS-subdomain names, no generation, the default Name/Created At table. */
    public static GenericStrategy standard() {
        return new GenericStrategy(Names.DNS_SUBDOMAIN, false, TableConvertor.DEFAULT);
    }

    @Override
    public Names.NameRule nameRule() {
        return nameRule;
    }

    @Override
    public boolean tracksGeneration() {
        return tracksGeneration;
    }

    @Override
    public TableConvertor table() {
        return table;
    }
}
