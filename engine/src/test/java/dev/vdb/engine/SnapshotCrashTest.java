package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that creates snapshots back to back is killed with SIGKILL ({@code vdb.snapshot.crash.cycles}
 * times, 1 by default: each cycle costs a JVM start): every snapshot
 * the reopened database lists is whole (its checksum and every part verify) and recovers to all
 * its points; what the killed write left (a {@code .tmp} file) is never listed, is refused when
 * offered for recovery unless it happens to be complete, and is deleted by the next open.
 */
class SnapshotCrashTest {

    @TempDir
    Path dir;

    @Test
    void killDuringSnapshotCreationLeavesNoHalfFileThatCanBeListedOrRecovered() throws Exception {
        SplittableRandom random = new SplittableRandom();
        int halfFiles = 0;
        int cycles = Integer.getInteger("vdb.snapshot.crash.cycles", 1);
        for (int cycle = 0; cycle < cycles; cycle++) {
            killWhileSnapshotting(random.nextInt(10));
            List<Path> leftovers = leftovers();
            try (VectorDb db = VectorDb.open(dir)) {
                for (Path tmp : leftovers) {
                    try {
                        db.snapshots().recover("from-leftover", tmp, null);
                        // complete, only not yet published when the kill came: then it is whole
                        assertEquals(SnapshottingProcess.POINTS, db.collection("from-leftover").count());
                        db.dropCollection("from-leftover");
                    } catch (InvalidSnapshotException refused) {
                        halfFiles++;
                    }
                }
                assertEquals(List.of(), leftovers(), "the open deletes what the killed snapshot left");
                List<SnapshotInfo> listed = db.snapshots().list("big");
                assertTrue(!listed.isEmpty(), "the process had reported a snapshot");
                SnapshotInfo last = listed.get(listed.size() - 1);
                db.snapshots().recover("restored", db.snapshots().file("big", last.name()), last.checksum());
                VectorCollection restored = db.collection("restored");
                assertEquals(SnapshottingProcess.POINTS, restored.count());
                assertEquals(SnapshottingProcess.point(77).payload(), restored.get(PointId.of(77)).orElseThrow().payload());
                db.dropCollection("restored");
            }
        }
        System.out.println("snapshot crash test: " + halfFiles + " half-written files refused");
        assertThrows(InvalidSnapshotException.class, () -> {
            try (VectorDb db = VectorDb.open(dir)) {
                db.snapshots().recover("x", dir.resolve("missing.snapshot"), null);
            }
        });
    }

    /** Runs the snapshotting process until it has created a snapshot, then kills it after {@code millis} more. */
    private void killWhileSnapshotting(int millis) throws Exception {
        Process process = ChildJvm.start(List.of("-Xmx256m"), SnapshottingProcess.class, dir.toString());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("created "), "the process created no snapshot: " + line);
            Thread.sleep(millis);
            process.destroyForcibly(); // SIGKILL, most likely while the next snapshot is being written
        } finally {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        }
    }

    private List<Path> leftovers() throws Exception {
        Path snapshots = dir.resolve("snapshots").resolve("big");
        if (!Files.isDirectory(snapshots)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(snapshots)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
