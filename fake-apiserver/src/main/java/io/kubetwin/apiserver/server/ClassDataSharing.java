package io.kubetwin.apiserver.server;

/**
 * The training run that builds the jars' class-data-sharing archive at package time ({@code
 * -XX:ArchiveClassesAtExit}, see the fake-apiserver and demo poms): with {@code -Dkubetwin.cds.training=true} a
 * started server closes and the JVM exits, so the classes a start loads are written to the archive that later
 * starts map instead of loading and verifying them again ({@code -XX:SharedArchiveFile}).
 */
public final class ClassDataSharing {
    public static final String TRAINING_PROPERTY = "kubetwin.cds.training";

    private ClassDataSharing() {}

    /** Called by a main once its server is ready: in a training run, closes it and exits with status 0. */
    public static void exitIfTraining(AutoCloseable started) throws Exception {
        if (Boolean.getBoolean(TRAINING_PROPERTY)) {
            started.close();
            System.exit(0);
        }
    }
}
