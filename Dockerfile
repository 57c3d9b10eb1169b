# syntax=docker/dockerfile:1
# The Weft image: the launcher's fat jar on a JRE, run as a non-root user. One image for every role;
# the pod's args pick the config (k8s/: `run /etc/weft/<role>.json`).
#   docker build -t weft:dev .
# Without a Docker daemon, Jib builds an equivalent image: `mvn -P jib ...` (launcher/pom.xml, docs/DEPLOY.md).

FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
# The cache mount keeps ~/.m2 between builds; tests run in CI, not here.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -DskipTests package -pl launcher -am

FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 weft \
 && useradd --system --uid 10001 --gid weft --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin weft
COPY --from=build /src/launcher/target/weft.jar /opt/weft/weft.jar
USER 10001:10001
# The root filesystem may be read-only (k8s/ mounts an emptyDir here): the JVM and Vert.x write to /tmp.
WORKDIR /tmp
# Gates 7000 (external) and 7001 (internal), admin 7070, services 7100 (k8s/base/config/*.json).
EXPOSE 7000 7001 7070 7100
# --sun-misc-unsafe-memory-access quiets Netty's and msgpack's use of sun.misc.Unsafe on JDK 23+
# (drop it on a 21 base image, which refuses the flag); the heap follows the container's memory limit.
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", \
            "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/weft/weft.jar"]
CMD ["--help"]
