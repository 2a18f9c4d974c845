package io.kubetwin.apiserver.registry.kinds;

import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import io.kubetwin.apiserver.registry.validation.Names;

/** The strategy of kinds with no special behaviour (and of custom resources): all defaults. */
public final class GenericStrategy implements ResourceStrategy {
    private final Names.NameRule nameRule;
    private final boolean tracksGeneration;
    private final TableConvertor table;

    public GenericStrategy(Names.NameRule nameRule, boolean tracksGeneration, TableConvertor table) {
        this.nameRule = nameRule;
        this.tracksGeneration = tracksGeneration;
        this.table = table;
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
