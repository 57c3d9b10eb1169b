package io.weft.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads a manifest as its Kubernetes kind with the fabric8 model, strictly: the model keeps
 * fields it does not know in {@code additionalProperties} instead of failing, so a misspelt or
 * misplaced field ({@code readinesProbe}, {@code ports} one level too high) would pass unseen.
 * This walks the typed object and reports every such field with its path.
 */
final class StrictModel {

  private StrictModel() {
  }

  /** The typed object; fails when the kind is unknown to the model or a field is. */
  static KubernetesResource read(String where, JsonNode manifest) {
    KubernetesResource resource = Kustomize.YAML.treeToValue(manifest, KubernetesResource.class);
    if (resource == null || resource instanceof GenericKubernetesResource) {
      throw new AssertionError(where + ": " + manifest.path("apiVersion").asString() + " "
          + manifest.path("kind").asString() + " is not a kind of the Kubernetes model");
    }
    List<String> unknown = new ArrayList<>();
    walk(resource, manifest.path("kind").asString(), unknown);
    if (!unknown.isEmpty()) {
      throw new AssertionError(where + ": fields the Kubernetes model does not have: " + unknown);
    }
    return resource;
  }

  private static void walk(Object value, String path, List<String> unknown) {
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        walk(item, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, unknown));
      return;
    }
    if (value == null || !value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object child = invoke(getter, value);
      if ("getAdditionalProperties".equals(getter.getName())) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          extra.keySet().forEach(k -> unknown.add(path + "." + k));
        }
      } else {
        String name = getter.getName().substring(3);
        walk(child, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), unknown);
      }
    }
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      return null;
    }
  }
}
