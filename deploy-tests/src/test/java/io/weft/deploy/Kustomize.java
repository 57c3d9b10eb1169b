package io.weft.deploy;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The part of kustomize that the kustomizations under {@code k8s/} use, enough to know what each
 * pod of an overlay receives: {@code resources} (files and directories, recursively),
 * {@code configMapGenerator} and {@code secretGenerator} (with {@code behavior: merge}) and
 * {@code patches} as inline JSON 6902 operations on targets chosen by kind, name and label, and
 * {@code labels} on the objects' own metadata. Keys
 * it does not know fail the test, naming the key, so a kustomization cannot silently do more than
 * these checks see. Names keep no hash suffix; {@code namespace} and
 * {@code images} change nothing these checks look at and are only read.
 * <p>
 * No kustomize binary is needed (none is packaged for the build machines); {@code kubectl
 * kustomize k8s/overlays/dev} renders the same for real (docs/DEPLOY.md).
 */
final class Kustomize {

  static final YAMLMapper YAML = YAMLMapper.builder().build();

  private static final Set<String> KNOWN_KEYS = Set.of("apiVersion", "kind", "namespace", "labels", "resources",
      "configMapGenerator", "secretGenerator", "images", "patches");

  /** An overlay's output: its objects, and the generated ConfigMaps' and Secrets' keys. */
  record Rendered(List<ObjectNode> objects, Map<String, Map<String, String>> configMaps,
                  Map<String, Map<String, String>> secrets) {

    List<ObjectNode> ofKind(String kind) {
      return objects.stream().filter(o -> kind.equals(o.path("kind").asString())).toList();
    }

    ObjectNode named(String kind, String name) {
      return ofKind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asString()))
          .findFirst().orElse(null);
    }
  }

  private Kustomize() {
  }

  static Path kustomization(Path dir) {
    return dir.resolve("kustomization.yaml");
  }

  static JsonNode read(Path kustomization) {
    JsonNode k = YAML.readTree(kustomization.toFile());
    for (String key : k.propertyNames()) {
      if (!KNOWN_KEYS.contains(key)) {
        fail(kustomization + ": " + key + " is not understood by these checks (known: " + KNOWN_KEYS + ")");
      }
    }
    return k;
  }

  /** Every YAML document of a manifest file, as objects. */
  static List<ObjectNode> documents(Path file) {
    List<ObjectNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNext()) {
        JsonNode node = it.next();
        if (node == null || node.isNull() || node.isMissingNode()) {
          continue;
        }
        if (!(node instanceof ObjectNode object)) {
          throw new AssertionError(file + ": a document is not a mapping: " + node);
        }
        documents.add(object);
      }
    }
    return documents;
  }

  static Rendered render(Path dir) {
    Path file = kustomization(dir);
    JsonNode k = read(file);
    List<ObjectNode> objects = new ArrayList<>();
    Map<String, Map<String, String>> configMaps = new LinkedHashMap<>();
    Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
    for (JsonNode resource : k.path("resources")) {
      Path path = dir.resolve(resource.asString()).normalize();
      if (Files.isDirectory(path)) {
        Rendered child = render(path);
        objects.addAll(child.objects());
        child.configMaps().forEach((name, data) -> configMaps.merge(name, data, Kustomize::refuseDuplicate));
        child.secrets().forEach((name, data) -> secrets.merge(name, data, Kustomize::refuseDuplicate));
      } else {
        objects.addAll(documents(path));
      }
    }
    for (JsonNode generator : k.path("configMapGenerator")) {
      generate(dir, file, generator, configMaps);
    }
    for (JsonNode generator : k.path("secretGenerator")) {
      generate(dir, file, generator, secrets);
    }
    for (JsonNode patch : k.path("patches")) {
      Json6902.apply(file, patch, objects);
    }
    for (JsonNode labels : k.path("labels")) {
      if (labels.path("includeSelectors").asBoolean(false) || labels.path("includeTemplates").asBoolean(false)) {
        fail(file + ": labels into selectors or templates are not understood by these checks");
      }
      for (ObjectNode object : objects) {
        labels.path("pairs").properties().forEach(e ->
            object.withObject("/metadata").withObject("/labels").set(e.getKey(), e.getValue()));
      }
    }
    return new Rendered(objects, configMaps, secrets);
  }

  private static void generate(Path dir, Path file, JsonNode generator, Map<String, Map<String, String>> into) {
    String name = generator.path("name").asString();
    String behavior = generator.path("behavior").asString("create");
    Map<String, String> data = new LinkedHashMap<>();
    for (JsonNode entry : generator.path("files")) {
      String spec = entry.asString();
      int eq = spec.indexOf('=');
      String key = eq < 0 ? Path.of(spec).getFileName().toString() : spec.substring(0, eq);
      Path source = dir.resolve(eq < 0 ? spec : spec.substring(eq + 1));
      try {
        data.put(key, Files.readString(source));
      } catch (IOException e) {
        throw new AssertionError(file + ": configMapGenerator " + name + " names " + source + ", which cannot be read", e);
      }
    }
    for (JsonNode literal : generator.path("literals")) {
      String spec = literal.asString();
      int eq = spec.indexOf('=');
      if (eq < 1) {
        fail(file + ": literal '" + spec + "' of " + name + " is not key=value");
      }
      data.put(spec.substring(0, eq), spec.substring(eq + 1));
    }
    switch (behavior) {
      case "create" -> {
        if (into.containsKey(name)) {
          fail(file + ": " + name + " is generated twice");
        }
        into.put(name, data);
      }
      case "merge", "replace" -> {
        if (!into.containsKey(name)) {
          fail(file + ": " + name + " has behavior " + behavior + " but no base generates it");
        }
        Map<String, String> merged = "merge".equals(behavior) ? new LinkedHashMap<>(into.get(name)) : new LinkedHashMap<>();
        merged.putAll(data);
        into.put(name, merged);
      }
      default -> fail(file + ": unknown generator behavior " + behavior);
    }
  }

  private static <T> T refuseDuplicate(T a, T b) {
    throw new AssertionError("a generator name is used twice");
  }
}
