/**
 * The {@code weft} command and what {@code weft run} deploys: {@link io.weft.launcher.MeshVerticle}
 * reads a {@link io.weft.launcher.MeshConfig} (with {@link io.weft.launcher.EnvOverrides}) and
 * starts the gates and services it names.
 */
package io.weft.launcher;
