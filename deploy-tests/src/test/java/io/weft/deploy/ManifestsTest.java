package io.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Every file under {@code k8s/} is what it claims to be, and every file a kustomization names exists. */
class ManifestsTest {

  static final Path K8S = Path.of("..", "k8s").toAbsolutePath().normalize();

  static List<Path> files(String suffix) throws IOException {
    try (Stream<Path> walk = Files.walk(K8S)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  static List<Path> kustomizations() throws IOException {
    return files("kustomization.yaml");
  }

  static List<Path> manifests() throws IOException {
    return files(".yaml").stream().filter(p -> !p.getFileName().toString().equals("kustomization.yaml")).toList();
  }

  @Test
  void everyManifestDocumentParsesStrictlyAsItsKubernetesKind() throws IOException {
    List<String> kinds = new ArrayList<>();
    for (Path file : manifests()) {
      List<ObjectNode> documents = Kustomize.documents(file);
      assertThat(documents).as(K8S.relativize(file) + " has documents").isNotEmpty();
      for (ObjectNode document : documents) {
        String where = K8S.relativize(file) + " (" + document.path("kind").asString() + " "
            + document.path("metadata").path("name").asString() + ")";
        KubernetesResource resource = StrictModel.read(where, document);
        assertThat(resource).as(where).isInstanceOf(HasMetadata.class);
        HasMetadata object = (HasMetadata) resource;
        assertThat(object.getKind()).as(where).isEqualTo(document.path("kind").asString());
        assertThat(object.getMetadata().getName()).as(where + " has a name").isNotBlank();
        kinds.add(object.getKind());
      }
    }
    assertThat(kinds).contains("Namespace", "Deployment", "Service", "StatefulSet", "PodDisruptionBudget",
        "HorizontalPodAutoscaler");
  }

  @Test
  void theStrictReadingRefusesAMisspeltFieldAndAnUnknownKind() {
    ObjectNode deployment = (ObjectNode) Kustomize.YAML.readTree("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x}
        spec:
          selector: {matchLabels: {a: b}}
          template:
            spec:
              containers:
                - name: c
                  image: i
                  readinesProbe: {httpGet: {path: /ready, port: 7070}}
        """);
    assertThatThrownBy(() -> StrictModel.read("test", deployment))
        .hasMessageContaining("spec.template.spec.containers[0].readinesProbe");
    ObjectNode unknown = (ObjectNode) Kustomize.YAML.readTree("{apiVersion: example.io/v1, kind: Gadget, metadata: {name: g}}");
    assertThatThrownBy(() -> StrictModel.read("test", unknown)).hasMessageContaining("not a kind");
    deployment.withObject("/spec/template/spec/containers/0").remove("readinesProbe");
    assertThat(StrictModel.read("test", deployment)).isInstanceOf(Deployment.class);
  }

  @Test
  void everyFileAKustomizationNamesExists() throws IOException {
    List<Path> kustomizations = kustomizations();
    assertThat(kustomizations).extracting(p -> K8S.relativize(p.getParent()).toString())
        .contains("base", "dev-stores", "overlays/dev", "overlays/prod");
    for (Path file : kustomizations) {
      Path dir = file.getParent();
      JsonNode k = Kustomize.read(file);
      for (JsonNode resource : k.path("resources")) {
        Path path = dir.resolve(resource.asString()).normalize();
        assertThat(Files.isRegularFile(path) || Files.isRegularFile(Kustomize.kustomization(path)))
            .as(K8S.relativize(file) + ": resource " + resource.asString() + " is a file or a kustomization directory")
            .isTrue();
      }
      for (String generators : List.of("configMapGenerator", "secretGenerator")) {
        for (JsonNode generator : k.path(generators)) {
          for (JsonNode entry : generator.path("files")) {
            String spec = entry.asString();
            Path path = dir.resolve(spec.substring(spec.indexOf('=') + 1));
            assertThat(path).as(K8S.relativize(file) + ": " + generators + " file").isRegularFile();
          }
        }
      }
      for (JsonNode patch : k.path("patches")) {
        if (patch.has("path")) {
          assertThat(dir.resolve(patch.path("path").asString())).as(K8S.relativize(file) + ": patch").isRegularFile();
        }
      }
    }
  }

  @Test
  void everyManifestAndConfigFileIsUsedByAKustomization() throws IOException {
    List<Path> used = new ArrayList<>();
    for (Path file : kustomizations()) {
      Path dir = file.getParent();
      JsonNode k = Kustomize.read(file);
      k.path("resources").forEach(r -> used.add(dir.resolve(r.asString()).normalize()));
      for (JsonNode generator : k.path("configMapGenerator")) {
        for (JsonNode entry : generator.path("files")) {
          String spec = entry.asString();
          used.add(dir.resolve(spec.substring(spec.indexOf('=') + 1)).normalize());
        }
      }
    }
    List<Path> all = new ArrayList<>(manifests());
    all.addAll(files(".json"));
    assertThat(used).as("files under k8s/ that no kustomization uses: forgotten, or a typo elsewhere")
        .containsAll(all);
  }

  @Test
  void theRendererRefusesWhatItDoesNotUnderstand(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\ncommonLabels: {a: b}\n");
    assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("commonLabels");
    Files.writeString(dir.resolve("kustomization.yaml"), """
        resources: [d.yaml]
        patches:
          - target: {kind: Deployment, name: nosuch}
            patch: '[{"op": "replace", "path": "/spec/replicas", "value": 2}]'
        """);
    Files.writeString(dir.resolve("d.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {}\n");
    assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("selects nothing");
    Files.writeString(dir.resolve("kustomization.yaml"), """
        resources: [d.yaml]
        patches:
          - target: {kind: Deployment}
            patch: '[{"op": "replace", "path": "/spec/replicas", "value": 2}]'
        """);
    assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("/spec/replicas does not exist");
    Files.writeString(dir.resolve("kustomization.yaml"), """
        resources: [d.yaml]
        patches:
          - target: {kind: Deployment}
            patch: '[{"op": "add", "path": "/spec/replicas", "value": 2}]'
        """);
    assertThat(Kustomize.render(dir).named("Deployment", "d").at("/spec/replicas").asInt()).isEqualTo(2);
  }
}
