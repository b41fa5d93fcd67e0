# Newsline service images: one Maven build stage, then one JRE runtime target per service.
#
#   docker build --target ingest -t newsline-ingest .
#   docker build --target enrich -t newsline-enrich .
#   docker build --target sink   -t newsline-sink   .
#
# docker-compose.yml builds all three. Each image runs its service's main class as a non-root user;
# an optional properties file may follow as the only argument (docker run IMAGE /path/newsline.properties),
# and NEWS_* environment variables override it (NEWS_SINK_JDBC_URL is sink.jdbc.url).

ARG MAVEN_IMAGE=maven:3.9.11-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17.0.17_10-jre-noble

FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
# an explicit local repository, so that the dependency layer is reused whatever the base image declares
ENV MAVEN_OPTS="-XX:TieredStopAtLevel=1 -Dmaven.repo.local=/m2/repository"
ARG SERVICES=ingest-service,enrich-service,sink-service

# Poms first: the dependency layers below are rebuilt only when a pom changes. The reactor needs
# every module's pom, even of modules the images do not contain.
COPY pom.xml ./
COPY event-model/pom.xml event-model/
COPY embedded-kafka/pom.xml embedded-kafka/
COPY service-ops/pom.xml service-ops/
COPY ingest-service/pom.xml ingest-service/
COPY enrich-service/pom.xml enrich-service/
COPY sink-service/pom.xml sink-service/
COPY newsctl-cli/pom.xml newsctl-cli/
COPY system-tests/pom.xml system-tests/
# Third-party dependencies and plugins of the three services (our own modules are built below).
# The second command fetches the CoreNLP models jar once into this layer's local repository; only
# the NER model file is extracted from it (enrich-service's pom), the jar never reaches an image.
RUN mvn -B -q -pl "${SERVICES}" -am dependency:go-offline -DexcludeGroupIds=dev.newsline \
 && mvn -B -q -pl enrich-service dependency:unpack@extract-ner-model \
 && rm -rf enrich-service/target

# Sources: event-model and embedded-kafka (a test dependency of the services) and the services.
COPY event-model/src event-model/src
COPY embedded-kafka/src embedded-kafka/src
COPY service-ops/src service-ops/src
COPY ingest-service/src ingest-service/src
COPY enrich-service/src enrich-service/src
COPY sink-service/src sink-service/src
# Build without running tests (CI runs them), then gather each service's runtime classpath:
# third-party jars in lib/ (copy-dependencies, runtime scope), our jars in app/, and logback, which
# the services use through SLF4J but declare only for tests.
RUN mvn -B -q -pl "${SERVICES}" -am -DskipTests install \
 && mvn -B -q -pl "${SERVICES}" dependency:copy-dependencies -DincludeScope=runtime -DexcludeGroupIds=dev.newsline \
 && mvn -B -q -pl "${SERVICES}" dependency:copy-dependencies -DincludeScope=test -DincludeGroupIds=ch.qos.logback
# The enrich image carries the extracted NER model (inside enrich-service.jar), never the models jar.
RUN set -eu; \
    for s in ingest enrich sink; do \
      mkdir -p "/out/$s/lib" "/out/$s/app"; \
      cp "$s-service"/target/dependency/*.jar "/out/$s/lib/"; \
      cp "$s-service/target/$s-service-"*.jar event-model/target/event-model-*.jar service-ops/target/service-ops-*.jar "/out/$s/app/"; \
    done; \
    jar tf /out/enrich/app/enrich-service-*.jar | grep -qx 'edu/stanford/nlp/models/ner/english.conll.4class.distsim.crf.ser.gz'; \
    if ls /out/*/lib | grep -q -- '-models\.jar$'; then echo 'a CoreNLP models jar reached an image' >&2; exit 1; fi

# Shared runtime: JRE 17, a non-root user, a writable data directory, the container logging setup
# and the liveness check used by docker-compose.yml.
FROM ${JRE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="Newsline" \
      org.opencontainers.image.description="Newsline news pipeline service" \
      org.opencontainers.image.licenses="GPL-3.0-or-later"
COPY deploy/logback.xml /app/config/logback.xml
COPY deploy/jvm-alive.sh /app/bin/jvm-alive
RUN chmod 0755 /app/bin/jvm-alive \
 && groupadd --system --gid 10001 newsline \
 && useradd --system --uid 10001 --gid newsline --home-dir /var/lib/newsline --no-create-home \
      --shell /usr/sbin/nologin newsline \
 && install -d -o newsline -g newsline -m 0750 /var/lib/newsline
# relative paths in the configuration (defaults such as ./.newsline/streams) land in the data directory
WORKDIR /var/lib/newsline
# a JVM that ran out of memory exits so that the restart policy replaces it; compose sets the heap
ENV JAVA_TOOL_OPTIONS="-XX:+ExitOnOutOfMemoryError"
USER newsline:newsline

# /app/config comes last on the class path: its logback.xml applies only if no jar brings one.
FROM runtime AS ingest
COPY --from=build /out/ingest/lib/ /app/lib/
COPY --from=build /out/ingest/app/ /app/newsline/
ENTRYPOINT ["java", "-cp", "/app/newsline/*:/app/lib/*:/app/config", "dev.newsline.ingest.IngestService"]

FROM runtime AS enrich
COPY --from=build /out/enrich/lib/ /app/lib/
COPY --from=build /out/enrich/app/ /app/newsline/
# -XX:-DontCompileHugeMethods: CoreNLP's 10 KB feature method is compiled, not interpreted (tagging ~30% faster)
ENTRYPOINT ["java", "-XX:-DontCompileHugeMethods", "-cp", "/app/newsline/*:/app/lib/*:/app/config", "dev.newsline.enrich.EnrichService"]

FROM runtime AS sink
COPY --from=build /out/sink/lib/ /app/lib/
COPY --from=build /out/sink/app/ /app/newsline/
ENTRYPOINT ["java", "-cp", "/app/newsline/*:/app/lib/*:/app/config", "dev.newsline.sink.SinkService"]
