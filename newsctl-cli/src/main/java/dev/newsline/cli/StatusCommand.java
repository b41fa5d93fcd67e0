package dev.newsline.cli;

import dev.newsline.model.topic.Topic;
import dev.newsline.model.topic.Topics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Topics, partitions, end offsets, consumer group lag and dead-letter counts of a cluster. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show Newsline's topics (partitions, records by end offset), each consumer group's lag,",
            "and dead-letter counts. The cluster is kafka.bootstrap.servers, or the local one with --embedded."})
final class StatusCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> kafka = cluster.kafkaSettings(common.settings());
        if (ClusterOptions.requireCluster(kafka, spec.commandLine().getErr()).isEmpty()) {
            return 2;
        }
        kafka.putIfAbsent("default.api.timeout.ms", 15000);
        kafka.putIfAbsent("request.timeout.ms", 10000);
        try (Admin admin = Admin.create(kafka)) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            List<String> names = Topics.ALL.stream().map(Topic::name).filter(existing::contains).toList();
            Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            descriptions.values().forEach(d -> d.partitions().forEach(p -> {
                latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
                earliest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.earliest());
            }));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all().get();

            out.printf("%-26s %10s %14s  %s%n", "topic", "partitions", "offsets", "");
            for (Topic<?, ?> topic : Topics.ALL) {
                TopicDescription d = descriptions.get(topic.name());
                if (d == null) {
                    out.printf("%-26s %10s %14s  %s%n", topic.name(), "-", "-", "missing");
                    continue;
                }
                long span = 0;
                for (var p : d.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.name(), p.partition());
                    span += ends.get(tp).offset() - starts.get(tp).offset();
                }
                boolean dlq = topic.name().endsWith(".dlq");
                out.printf("%-26s %10d %14d  %s%n", topic.name(), d.partitions().size(), span,
                        dlq ? (span == 0 ? "no dead letters" : "DEAD LETTERS (offsets include transaction markers)") : "");
            }
            out.println();
            out.printf("%-28s %-26s %10s%n", "consumer group", "topic", "lag");
            List<String> groups = new ArrayList<>();
            for (ConsumerGroupListing g : admin.listConsumerGroups().all().get()) {
                groups.add(g.groupId());
            }
            groups.sort(String::compareTo);
            for (String group : groups) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                Map<String, Long> lagByTopic = new java.util.TreeMap<>();
                committed.forEach((tp, om) -> {
                    var end = ends.get(tp);
                    if (end != null && om != null) {
                        lagByTopic.merge(tp.topic(), Math.max(0, end.offset() - om.offset()), Long::sum);
                    }
                });
                lagByTopic.forEach((topic, lag) -> out.printf("%-28s %-26s %10d%n", group, topic, lag));
            }
        }
        out.flush();
        return 0;
    }
}
