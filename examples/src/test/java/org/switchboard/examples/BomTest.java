package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The BOM ({@code bom/pom.xml}) is what an application imports to depend on Switchboard without
 * versions: it lists every published library artifact and nothing else, and importing it manages
 * no third-party version (the parent's pins of JUnit, AssertJ, Selenium… stay ours).
 */
class BomTest {

    private static final Path ROOT = Path.of("..");
    private static final Path BOM = ROOT.resolve("bom/pom.xml");
    /** Where library modules live; each one with a module descriptor is published. */
    private static final List<String> LIBRARY_DIRECTORIES =
        List.of("core", "websocket-module", "h2c-module", "custom-protocol-module", "testing", "micrometer");

    @Test
    void everyLibraryModuleIsInTheBom() throws Exception {
        List<String> libraries = new ArrayList<>();
        for (String directory : LIBRARY_DIRECTORIES)
            if (Files.exists(ROOT.resolve(directory).resolve("src/main/java/module-info.java")))
                libraries.add(artifactId(ROOT.resolve(directory)));
        assertThat(libraries).contains("switchboard-core", "switchboard-websocket", "switchboard-h2c", "switchboard-relay");
        assertThat(bomArtifacts()).containsAll(libraries);
    }

    /** Each module of the build is either published (then it is in the BOM) or not deployed at all. */
    @Test
    void everyModuleOfTheBuildIsInTheBomOrNotDeployed() throws Exception {
        List<String> published = bomArtifacts();
        for (Element module : children(child(read(ROOT.resolve("pom.xml")), "modules"), "module")) {
            if (module.getTextContent().equals("bom"))
                continue;
            Path directory = ROOT.resolve(module.getTextContent());
            Element properties = child(read(directory.resolve("pom.xml")), "properties");
            boolean deploySkipped = properties != null && child(properties, "maven.deploy.skip") != null
                && child(properties, "maven.deploy.skip").getTextContent().equals("true");
            assertThat(published.contains(artifactId(directory)))
                .as("%s: in the BOM (published) or with maven.deploy.skip (never published), not both", directory)
                .isNotEqualTo(deploySkipped);
        }
    }

    @Test
    void theBomHasNoParentAndManagesOnlySwitchboardArtifactsAtTheBuildsVersion() throws Exception {
        Element bom = read(BOM);
        assertThat(child(bom, "parent")).as("a parent's dependencyManagement would be imported too").isNull();
        assertThat(child(bom, "dependencies")).isNull();
        String version = child(bom, "version").getTextContent();
        assertThat(version).isEqualTo(child(child(read(ROOT.resolve("pom.xml")), "parent"), "version").getTextContent());
        for (Element dependency : managedDependencies(bom)) {
            assertThat(child(dependency, "groupId").getTextContent()).isEqualTo("org.switchboard");
            assertThat(child(dependency, "version").getTextContent()).isEqualTo("${project.version}");
            assertThat(child(dependency, "scope")).isNull();
        }
    }

    /** The metadata a repository such as Maven Central requires is written once, in the BOM, and inherited. */
    @Test
    void theBuildInheritsItsLicenceAndScmFromTheBom() throws Exception {
        Element bom = read(BOM);
        assertThat(child(child(child(bom, "licenses"), "license"), "name").getTextContent()).isEqualTo("Apache-2.0");
        assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
        assertThat(child(child(bom, "scm"), "url").getTextContent()).isEqualTo(child(bom, "url").getTextContent());
        Element parent = child(read(ROOT.resolve("pom.xml")), "parent");
        assertThat(child(parent, "artifactId").getTextContent()).isEqualTo(child(bom, "artifactId").getTextContent());
        assertThat(child(parent, "relativePath").getTextContent()).isEqualTo("bom/pom.xml");
    }

    /**
     * A project that imports the BOM, built by Maven with a local repository that holds nothing but
     * the BOM: the library artifacts need no version, a test library still does.
     */
    @Test
    void aProjectThatImportsTheBomGetsSwitchboardVersionsAndNoOthers(@TempDir Path folder) throws Exception {
        String version = child(read(BOM), "version").getTextContent();
        Path repository = folder.resolve("repository");
        Path installed = repository.resolve("org/switchboard/switchboard-bom/" + version + "/switchboard-bom-" + version + ".pom");
        Files.createDirectories(installed.getParent());
        Files.copy(BOM, installed);

        StringBuilder libraries = new StringBuilder();
        for (String artifact : bomArtifacts())
            libraries.append(dependency("org.switchboard", artifact));
        Path consumer = consumer(folder.resolve("consumer"), version, libraries.toString());
        assertThat(validate(consumer, repository)).isEmpty();

        Path unmanaged = consumer(folder.resolve("unmanaged"), version, dependency("org.junit.jupiter", "junit-jupiter"));
        assertThat(validate(unmanaged, repository))
            .contains("'dependencies.dependency.version' for org.junit.jupiter:junit-jupiter:jar is missing");
    }

    private static String dependency(String groupId, String artifactId) {
        return "<dependency><groupId>" + groupId + "</groupId><artifactId>" + artifactId + "</artifactId></dependency>\n";
    }

    private static Path consumer(Path directory, String bomVersion, String dependencies) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("pom.xml"), """
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <modelVersion>4.0.0</modelVersion>
              <groupId>com.example</groupId>
              <artifactId>consumer</artifactId>
              <version>1</version>
              <dependencyManagement>
                <dependencies>
                  <dependency>
                    <groupId>org.switchboard</groupId>
                    <artifactId>switchboard-bom</artifactId>
                    <version>%s</version>
                    <type>pom</type>
                    <scope>import</scope>
                  </dependency>
                </dependencies>
              </dependencyManagement>
              <dependencies>
            %s  </dependencies>
            </project>
            """.formatted(bomVersion, dependencies));
        return directory;
    }

    /**
     * Maven's errors on building {@code project} up to {@code validate}, which runs no plugin: reading
     * the model imports the BOM and checks that every dependency has a version. Offline, so the
     * BOM comes from {@code repository} or not at all.
     */
    private static String validate(Path project, Path repository) throws Exception {
        Process maven = new ProcessBuilder("mvn", "-B", "-o", "-q", "-Dmaven.repo.local=" + repository.toAbsolutePath(),
            "-f", project.resolve("pom.xml").toAbsolutePath().toString(), "validate")
            .redirectErrorStream(true).start();
        String output = new String(maven.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(maven.waitFor(120, TimeUnit.SECONDS)).as("mvn validate finished").isTrue();
        return maven.exitValue() == 0 ? "" : output;
    }

    /**
     * README starts the sample with {@code mvn -pl examples -am compile exec:java}: {@code -am} builds
     * the BOM and the parent first (the parent's parent and the parent), and there exec:java has
     * nothing to run and must skip rather than fail the command.
     */
    @Test
    void readmesExecJavaCommandSkipsTheBomAndTheParent() throws Exception {
        for (Path pom : List.of(BOM, ROOT.resolve("pom.xml"))) {
            Process maven = new ProcessBuilder("mvn", "-B", "-q", "-N", "-f", pom.toAbsolutePath().toString(), "exec:java")
                .redirectErrorStream(true).start();
            String output = new String(maven.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(maven.waitFor(120, TimeUnit.SECONDS)).as("mvn exec:java finished").isTrue();
            assertThat(maven.exitValue()).as("exec:java on %s:%n%s", pom, output).isZero();
        }
    }

    private static List<String> bomArtifacts() throws Exception {
        return managedDependencies(read(BOM)).stream().map(d -> child(d, "artifactId").getTextContent()).toList();
    }

    private static List<Element> managedDependencies(Element pom) {
        return children(child(child(pom, "dependencyManagement"), "dependencies"), "dependency");
    }

    private static String artifactId(Path moduleDirectory) throws Exception {
        return child(read(moduleDirectory.resolve("pom.xml")), "artifactId").getTextContent();
    }

    private static Element read(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(pom.toFile());
        return document.getDocumentElement();
    }

    /** The first child element named {@code name}, or null. */
    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling())
            if (node instanceof Element element && element.getTagName().equals(name))
                found.add(element);
        return found;
    }
}
