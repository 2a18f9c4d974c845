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
 * keeps user.Info and authorizer.Attributes in leaf packages under k8s.io/apiserver. The identity, the attributes
 * and the authenticator/authorizer contracts live in the {@code kubetwin-auth} module ({@code io.kubetwin.auth}),
 * shared with the fake kubelet: it must never reach back into the apiserver.
 */
class PackageDependenciesTest {
    private static final String ROOT = "io.kubetwin.apiserver";
    private static final String AUTH = "io.kubetwin.auth";
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT, AUTH);
    }

    @Test
    void attributesIsALeaf() {
        noClasses()
                .that()
                .resideInAPackage(AUTH + ".attributes..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(AUTH + ".authn..", AUTH + ".authz..", ROOT + "..")
                .check(classes);
    }

    @Test
    void theSharedAuthModuleKnowsNothingOfTheApiserver() {
        noClasses()
                .that()
                .resideInAPackage(AUTH + "..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT + "..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage(AUTH + ".authn..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(AUTH + ".authz..")
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
        slices().matching(ROOT + ".(request|authn|authz|audit)")
                .should()
                .beFreeOfCycles()
                .check(classes);
        slices().matching(AUTH + ".(*)..").should().beFreeOfCycles().check(classes);
        slices().matching(ROOT + ".audit.(*)..").should().beFreeOfCycles().check(classes);
    }
}
