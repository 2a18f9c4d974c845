package io.kubetwin.scan.report;

import io.kubetwin.scan.model.Rule;
import io.kubetwin.scan.model.ScanReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Writes a scan's reports into a directory. */
public final class Reports {
    private Reports() {}

    /** Writes each format's file into {@code dir} (created if needed) and returns the paths written. */
    public static List<Path> write(ScanReport report, List<Rule> rules, Collection<ReportFormat> formats, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        var written = new ArrayList<Path>();
        for (var format : formats) {
            var file = dir.resolve(format.fileName());
            Files.writeString(file, format.render(report, rules));
            written.add(file);
        }
        return written;
    }
}
