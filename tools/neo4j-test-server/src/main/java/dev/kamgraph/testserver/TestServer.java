package dev.kamgraph.testserver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * An in-process Neo4j 5 Community with Bolt on a free loopback port, for kamgraph's tests.
 *
 * <p>Authentication is on: user {@code neo4j} with the password of the environment variable
 * {@code NEO4J_TEST_PASSWORD} (required; read from the environment so that it never shows in a
 * process list). When Bolt answers, one line {@code bolt://127.0.0.1:PORT} goes to standard
 * output; SIGTERM (or Ctrl-C) stops the database cleanly and the process exits with 0.
 *
 * <p>Without arguments the database lives in a throw-away directory of the test harness. With
 * {@code --data DIR} it lives in {@code DIR} and survives a restart (used by the fault tests:
 * a server killed in the middle of an import comes back with what it had committed).
 */
public final class TestServer {
    private TestServer() {}

    public static void main(String[] args) throws Exception {
        String password = System.getenv("NEO4J_TEST_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("NEO4J_TEST_PASSWORD must be set (at least 8 characters)");
            System.exit(2);
        }
        Path data = args.length == 2 && args[0].equals("--data") ? Path.of(args[1]) : null;
        if (args.length != 0 && data == null) {
            System.err.println("usage: TestServer [--data DIR]");
            System.exit(2);
        }
        SocketAddress loopback = new SocketAddress("127.0.0.1", 0);
        long pageCache = ByteUnit.mebiBytes(Long.getLong("kamgraph.pagecache.mb", 256));
        Runnable stop;
        DatabaseManagementService dbms;
        if (data == null) {
            Neo4j neo4j = Neo4jBuilders.newInProcessBuilder()
                    .withDisabledServer()
                    .withConfig(BoltConnector.listen_address, loopback)
                    .withConfig(GraphDatabaseSettings.auth_enabled, true)
                    .withConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                    // 0 = no global cap on transaction memory: the heap (-Xmx) is the only limit, so
                    // an import batch of a few thousand rows is not refused below what the heap holds
                    .withConfig(GraphDatabaseSettings.memory_transaction_global_max_size, 0L)
                    .build();
            dbms = neo4j.databaseManagementService();
            stop = neo4j::close;
        } else {
            dbms = new DatabaseManagementServiceBuilder(data)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, loopback)
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(GraphDatabaseSettings.auth_enabled, true)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                    // as above: the heap is the only limit on transaction memory
                    .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, 0L)
                    .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(2))
                    .build();
            stop = dbms::shutdown;
        }
        dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
                .executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                        Map.of("password", password));
        GraphDatabaseAPI db = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        int port = db.getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT)
                .getPort();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            stopped.countDown();
        }, "neo4j-test-server-stop"));
        System.out.println("bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }
}
