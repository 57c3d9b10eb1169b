package io.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Dockerfile and the Jib configuration build the image the manifests expect: a JRE of at
 * least the compiled release, the launcher's jar, a non-root user matching the pods'
 * {@code runAsUser}, and every port the pods declare. Neither can be built here (no Docker
 * daemon, no registry to pull the base image from), so this is what can be checked without one.
 */
class ImageTest {

  static final Path ROOT = ManifestsTest.K8S.getParent();
  static final Pattern JRE = Pattern.compile("eclipse-temurin:(\\d+)-jre");

  @Test
  void theDockerfileBuildsTheLauncherJarIntoANonRootJreImage() throws IOException {
    List<String> lines = instructions(Files.readString(ROOT.resolve("Dockerfile")));
    List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertThat(froms).as("multi-stage: a build stage and a runtime stage").hasSize(2);
    assertThat(froms.get(0)).as("the build stage").contains(" AS build");
    assertThat(major(froms.get(1))).as("the runtime JRE").isGreaterThanOrEqualTo(compiledRelease());
    String jar = "launcher/target/" + shadedJarName();
    assertThat(lines).as("the runtime stage takes the launcher's jar from the build stage")
        .anyMatch(l -> l.startsWith("COPY --from=build ") && l.contains("/" + jar + " "));
    String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow().substring(5);
    assertThat(user).as("the image's user is the pods' runAsUser").isEqualTo(podUser() + ":" + podUser());
    Set<Integer> exposed = new TreeSet<>();
    lines.stream().filter(l -> l.startsWith("EXPOSE ")).forEach(l -> {
      for (String port : l.substring(7).trim().split("\\s+")) {
        exposed.add(Integer.parseInt(port));
      }
    });
    assertThat(exposed).as("EXPOSE lists the pods' container ports").isEqualTo(podPorts());
    String entrypoint = lines.stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
    JsonNode command = Kustomize.YAML.readTree(entrypoint.substring("ENTRYPOINT ".length()));
    assertThat(command.isArray()).as("exec form: java gets SIGTERM itself and drains").isTrue();
    assertThat(command.get(0).asString()).isEqualTo("java");
    assertThat(command.toString()).contains("\"-jar\"", "--enable-native-access=ALL-UNNAMED");
  }

  @Test
  void jibBuildsTheSameImage() throws IOException {
    String pom = Files.readString(ROOT.resolve("launcher/pom.xml"));
    String jib = pom.substring(pom.indexOf("<artifactId>jib-maven-plugin</artifactId>"));
    assertThat(major(between(jib, "<from>", "</from>"))).isGreaterThanOrEqualTo(compiledRelease());
    assertThat(between(jib, "<mainClass>", "</mainClass>")).isEqualTo(io.weft.launcher.Weft.class.getName());
    assertThat(between(jib, "<user>", "</user>")).isEqualTo(podUser() + ":" + podUser());
    Set<Integer> ports = new TreeSet<>();
    Matcher m = Pattern.compile("<port>(\\d+)</port>").matcher(between(jib, "<ports>", "</ports>"));
    while (m.find()) {
      ports.add(Integer.parseInt(m.group(1)));
    }
    assertThat(ports).isEqualTo(podPorts());
    assertThat(pom).as("Jib runs only in its profiles: the default build needs no registry")
        .contains("<id>jib</id>", "<id>jib-tar</id>");
    String defaultBuild = pom.substring(0, pom.indexOf("<profiles>"));
    assertThat(defaultBuild.substring(defaultBuild.indexOf("</pluginManagement>"))).doesNotContain("jib-maven-plugin");
  }

  private static List<String> instructions(String dockerfile) {
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : dockerfile.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || trimmed.isEmpty()) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
      } else {
        lines.add(current.append(trimmed).toString());
        current.setLength(0);
      }
    }
    return lines;
  }

  private static int major(String image) {
    Matcher m = JRE.matcher(image);
    assertThat(m.find()).as(image + " is an eclipse-temurin JRE").isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static int compiledRelease() throws IOException {
    return Integer.parseInt(between(Files.readString(ROOT.resolve("pom.xml")), "<maven.compiler.release>",
        "</maven.compiler.release>"));
  }

  private static String shadedJarName() throws IOException {
    return between(Files.readString(ROOT.resolve("launcher/pom.xml")), "<finalName>", "</finalName>") + ".jar";
  }

  private static long podUser() {
    Set<Long> users = new TreeSet<>();
    for (String overlay : List.of("dev", "prod")) {
      OverlaysTest.render(overlay).pods().forEach(p -> users.add(p.spec().getSecurityContext().getRunAsUser()));
    }
    assertThat(users).as("one user for every Weft pod").hasSize(1);
    return users.iterator().next();
  }

  private static Set<Integer> podPorts() {
    Set<Integer> ports = new TreeSet<>();
    for (String overlay : List.of("dev", "prod")) {
      OverlaysTest.render(overlay).pods().forEach(p -> p.container().getPorts().stream()
          .map(ContainerPort::getContainerPort).forEach(ports::add));
    }
    return ports;
  }

  private static String between(String text, String open, String close) {
    int start = text.indexOf(open);
    assertThat(start).as("has " + open).isNotNegative();
    return text.substring(start + open.length(), text.indexOf(close, start)).strip();
  }
}
