package io.weft.deploy;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ContainerNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The inline JSON 6902 patches of a kustomization ({@code add}, {@code replace}, {@code remove}),
 * applied to the objects its {@code target} selects by kind, name and {@code key=value} labels.
 * A patch that selects nothing, or a path that does not exist, fails: kustomize refuses the
 * second, and the first is a patch that does not do what it says.
 */
final class Json6902 {

  private static final Set<String> TARGET_KEYS = Set.of("kind", "name", "labelSelector");

  private Json6902() {
  }

  static void apply(Path kustomization, JsonNode patch, List<ObjectNode> objects) {
    if (patch.has("path")) {
      fail(kustomization + ": patches from files are not understood by these checks; inline them");
    }
    JsonNode target = patch.path("target");
    for (String key : target.propertyNames()) {
      if (!TARGET_KEYS.contains(key)) {
        fail(kustomization + ": patch target key " + key + " is not understood by these checks");
      }
    }
    JsonNode ops = Kustomize.YAML.readTree(patch.path("patch").asString());
    if (!ops.isArray()) {
      fail(kustomization + ": only JSON 6902 patches (a list of operations) are understood by these checks");
    }
    List<ObjectNode> selected = objects.stream().filter(o -> selects(target, o)).toList();
    if (selected.isEmpty()) {
      fail(kustomization + ": patch target " + target + " selects nothing");
    }
    for (ObjectNode object : selected) {
      for (JsonNode op : ops) {
        applyOne(kustomization, object, op);
      }
    }
  }

  private static boolean selects(JsonNode target, ObjectNode object) {
    if (target.has("kind") && !target.path("kind").asString().equals(object.path("kind").asString())) {
      return false;
    }
    if (target.has("name") && !target.path("name").asString().equals(object.path("metadata").path("name").asString())) {
      return false;
    }
    if (target.has("labelSelector")) {
      for (String term : target.path("labelSelector").asString().split(",")) {
        String[] kv = term.trim().split("=", 2);
        JsonNode labels = object.path("metadata").path("labels");
        if (kv.length != 2 || !kv[1].equals(labels.path(kv[0]).asString(null))) {
          return false;
        }
      }
    }
    return true;
  }

  private static void applyOne(Path kustomization, ObjectNode object, JsonNode op) {
    String path = op.path("path").asString();
    String name = object.path("kind").asString() + " " + object.path("metadata").path("name").asString();
    int slash = path.lastIndexOf('/');
    JsonNode parent = slash == 0 ? object : object.at(path.substring(0, slash));
    String last = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
    if (!(parent instanceof ContainerNode<?>)) {
      fail(kustomization + ": " + op + " on " + name + ": " + path.substring(0, slash) + " does not exist");
    }
    switch (op.path("op").asString()) {
      case "add" -> {
        if (parent instanceof ArrayNode array) {
          if ("-".equals(last)) {
            array.add(op.path("value"));
          } else {
            array.insert(index(kustomization, op, array, last, true), op.path("value"));
          }
        } else {
          ((ObjectNode) parent).set(last, op.path("value"));
        }
      }
      case "replace", "remove" -> {
        boolean remove = "remove".equals(op.path("op").asString());
        if (parent instanceof ArrayNode array) {
          int i = index(kustomization, op, array, last, false);
          if (remove) {
            array.remove(i);
          } else {
            array.set(i, op.path("value"));
          }
        } else {
          ObjectNode map = (ObjectNode) parent;
          if (!map.has(last)) {
            fail(kustomization + ": " + op + " on " + name + ": " + path + " does not exist");
          }
          if (remove) {
            map.remove(last);
          } else {
            map.set(last, op.path("value"));
          }
        }
      }
      default -> fail(kustomization + ": operation " + op.path("op") + " is not understood by these checks");
    }
  }

  private static int index(Path kustomization, JsonNode op, ArrayNode array, String last, boolean mayAppend) {
    try {
      int i = Integer.parseInt(last);
      if (i >= 0 && (i < array.size() || mayAppend && i == array.size())) {
        return i;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new AssertionError(kustomization + ": " + op + ": no index " + last);
  }
}
