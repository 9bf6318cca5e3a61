package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The admission gate: a full gate with no waiting room turns requests away (the server answers
 * them 503), a freed slot admits again, and a closed gate admits nothing but still reports idle
 * once the last request left.
 */
class RequestGateTest {

    @Test
    void aFullGateRefusesUntilASlotIsFreed() throws InterruptedException {
        RequestGate gate = new RequestGate(2, 0, 0);
        assertTrue(gate.tryEnter());
        assertTrue(gate.tryEnter());
        assertFalse(gate.tryEnter(), "both slots taken, no waiting room");
        gate.leave();
        assertTrue(gate.tryEnter(), "a freed slot admits");
        assertFalse(gate.awaitIdle(0, TimeUnit.NANOSECONDS), "two requests still in");
        gate.leave();
        gate.leave();
        assertTrue(gate.awaitIdle(0, TimeUnit.NANOSECONDS));
    }

    @Test
    void aClosedGateAdmitsNothing() throws InterruptedException {
        RequestGate gate = new RequestGate(2, 8, 0);
        assertTrue(gate.tryEnter());
        gate.close();
        assertTrue(gate.isClosed());
        assertFalse(gate.tryEnter(), "closed while a slot was free");
        gate.leave();
        assertTrue(gate.awaitIdle(0, TimeUnit.NANOSECONDS));
    }
}
