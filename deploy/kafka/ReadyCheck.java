// Readiness probe for the local Replywatch Kafka broker.
//
// Java 17 single-file source launch, using the jars kafka.sh fetched:
//
//   java -cp 'deploy/kafka/.cache/libs/*' deploy/kafka/ReadyCheck.java 127.0.0.1:9092 [timeoutSeconds] [brokerPid]
//
// "Ready" means the broker really accepts a produce: the topic _replywatch_ready exists (created
// here if missing: 1 partition, RF 1) and one record sent with acks=all is acknowledged.
// Retries until the deadline, printing one '.' per second of waiting to stderr
// (or each attempt's error, when the environment has KAFKA_READY_VERBOSE=1).
//
// Exit codes: 0 ready, 2 deadline passed, 3 the broker process (brokerPid) died, 64 bad usage.

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

public class ReadyCheck {
    static final String TOPIC = "_replywatch_ready";

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: ReadyCheck <bootstrap host:port> [timeoutSeconds=90] [brokerPid]");
            System.exit(64);
        }
        String bootstrap = args[0];
        long timeoutSec = args.length > 1 ? Long.parseLong(args[1]) : 90;
        long brokerPid = args.length > 2 ? Long.parseLong(args[2]) : -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSec);

        Properties common = new Properties();
        common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        common.put(AdminClientConfig.CLIENT_ID_CONFIG, "replywatch-readycheck");
        common.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2500");
        common.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
        common.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        common.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, "2000");
        common.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, "2000");

        Properties adminProps = new Properties();
        adminProps.putAll(common);
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");

        Properties producerProps = new Properties();
        producerProps.putAll(common);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
        producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "6000");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());

        String first = bootstrap.split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        String host = first.substring(0, colon);
        int port = Integer.parseInt(first.substring(colon + 1));

        String lastError = "no attempt made";
        boolean dotted = false;
        boolean verbose = "1".equals(System.getenv("KAFKA_READY_VERBOSE"));
        long start = System.nanoTime();
        long lastProgress = start;
        while (true) {
            if (brokerPid > 0 && !alive(brokerPid)) {
                endDots(dotted);
                System.err.println("readycheck: broker process " + brokerPid + " exited");
                System.exit(3);
            }
            // Cheap TCP probe first, so the Kafka clients only start once the listener is up
            // (a client that bootstrapped against a closed port backs off before retrying).
            boolean listening = portOpen(host, port);
            if (!listening) {
                lastError = "nothing listening on " + host + ":" + port + " yet";
            } else {
                // Fresh clients per attempt: no stale metadata or back-off state from earlier tries.
                try (Admin admin = Admin.create(adminProps)) {
                    ensureTopic(admin);
                    RecordMetadata md = produceOne(producerProps);
                    endDots(dotted);
                    System.out.println("readycheck: produced to " + md.topic() + "-" + md.partition() + "@" + md.offset());
                    System.exit(0);
                } catch (Exception e) {
                    Throwable c = (e instanceof ExecutionException && e.getCause() != null) ? e.getCause() : e;
                    lastError = c.getClass().getSimpleName() + ": " + c.getMessage();
                }
            }
            long now = System.nanoTime();
            if (now >= deadline) {
                endDots(dotted);
                System.err.println("readycheck: not ready after " + timeoutSec + " s; last error: " + lastError);
                System.exit(2);
            }
            if (verbose && (listening || now - lastProgress >= 1_000_000_000L)) {
                System.err.printf("readycheck: +%d ms not ready: %s%n", (now - start) / 1_000_000, lastError);
                lastProgress = now;
            } else if (!verbose && now - lastProgress >= 1_000_000_000L) {
                System.err.print('.');  // at most one dot per second of waiting
                System.err.flush();
                dotted = true;
                lastProgress = now;
            }
            Thread.sleep(listening ? 500 : 100);
        }
    }

    static boolean portOpen(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void endDots(boolean dotted) {
        if (dotted) {
            System.err.println();
        }
    }

    static void ensureTopic(Admin admin) throws Exception {
        if (admin.listTopics().names().get().contains(TOPIC)) {
            return;
        }
        try {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    static RecordMetadata produceOne(Properties props) throws Exception {
        // A fresh producer per attempt: a producer whose metadata fetch timed out while the
        // broker was still booting is better thrown away than reused.
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            return producer.send(new ProducerRecord<>(TOPIC, "ready", Instant.now().toString())).get(10, TimeUnit.SECONDS);
        }
    }

    // True if the process exists and is not a zombie. A zombie (already exited, not yet reaped,
    // e.g. when PID 1 does not reap orphans) still answers kill -0, so read /proc where we can.
    static boolean alive(long pid) {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            try {
                String s = Files.readString(stat, StandardCharsets.US_ASCII);
                int close = s.lastIndexOf(')');
                char state = close >= 0 && close + 2 < s.length() ? s.charAt(close + 2) : '?';
                return state != 'Z' && state != 'X';
            } catch (Exception e) {
                return false;
            }
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
