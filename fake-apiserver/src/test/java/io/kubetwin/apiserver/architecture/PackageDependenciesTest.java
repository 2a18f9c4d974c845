package io.kubetwin.apiserver.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: the shared values ({@code attributes}, {@code audit.event}) sit below the stages
 * that use them, so that no stage imports another upwards and the packages form no cycle. Mirrors how upstream
 * keeps user.Info and authorizer.Attributes in leaf packages under k8s.io/apiserver.
 */
class PackageDependenciesTest {
    private static final String ROOT = "io.kubetwin.apiserver";
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void attributesIsALeaf() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".attributes..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        ROOT + ".request..",
                        ROOT + ".authn..",
                        ROOT + ".authz..",
                        ROOT + ".audit..",
                        ROOT + ".admission..",
                        ROOT + ".server..")
                .check(classes);
    }

    @Test
    void requestDependsOnNoStage() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".request..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        ROOT + ".authn..",
                        ROOT + ".authz..",
                        ROOT + ".audit..",
                        ROOT + ".impersonation..",
                        ROOT + ".server..")
                .check(classes);
    }

    @Test
    void authenticationDoesNotKnowAuthorizationOrAudit() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".authn")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".authz..", ROOT + ".audit..", ROOT + ".server..")
                .check(classes);
    }

    @Test
    void auditEventIsBelowPolicyAndBackends() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".audit.event")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        ROOT + ".audit", ROOT + ".audit.backend..", ROOT + ".audit.policy..", ROOT + ".audit.reader..")
                .check(classes);
        noClasses()
                .that()
                .resideInAnyPackage(ROOT + ".audit.backend..", ROOT + ".audit.policy..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT + ".audit")
                .check(classes);
    }

    @Test
    void pipelinePackagesFormNoCycle() {
        slices().matching(ROOT + ".(request|attributes|authn|authz|audit)")
                .should()
                .beFreeOfCycles()
                .check(classes);
        slices().matching(ROOT + ".audit.(*)..").should().beFreeOfCycles().check(classes);
    }
}
