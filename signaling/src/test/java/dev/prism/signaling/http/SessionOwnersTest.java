package dev.prism.signaling.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A WHIP/WHEP resource answers only its creator, and the owners of ended sessions do not pile up. */
class SessionOwnersTest {
    private final Set<String> open = new HashSet<>();
    private final SessionOwners owners = new SessionOwners(open::contains);

    @Test
    void onlyTheCreatorThroughTheSameKindInTheSameRoomOwnsIt() {
        open.add("T1");
        owners.record("T1", new SessionOwners.Owner("r", true, "alice"));
        assertTrue(owners.isOwner("T1", "r", true, "alice"));
        assertFalse(owners.isOwner("T1", "r", true, "bob"), "another publisher who learnt the id");
        assertFalse(owners.isOwner("T1", "r", false, "alice"), "through /whep, not /whip");
        assertFalse(owners.isOwner("T1", "other", true, "alice"), "in another room");
        assertFalse(owners.isOwner("T2", "r", true, "alice"), "an id never issued");
        owners.forget("T1");
        assertFalse(owners.isOwner("T1", "r", true, "alice"), "deleted");
    }

    @Test
    void theOwnersOfEndedSessionsAreForgottenAsNewOnesComeIn() {
        int live = 10;
        for (int i = 0; i < 4 * SessionOwners.SWEEP_EVERY; i++) {
            String id = "T" + i;
            open.add(id);
            if (open.size() > live) {
                open.remove("T" + (i - live)); // ended without a DELETE
            }
            owners.record(id, new SessionOwners.Owner("r", false, "viewer" + i));
        }
        assertTrue(owners.size() <= live + SessionOwners.SWEEP_EVERY,
                "at most the live sessions and one sweep's worth of ended ones: " + owners.size());
        String newest = "T" + (4 * SessionOwners.SWEEP_EVERY - 1);
        assertTrue(owners.isOwner(newest, "r", false, "viewer" + (4 * SessionOwners.SWEEP_EVERY - 1)),
                "a live session keeps its owner");
    }
}
