package dev.vdb.index.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.apache.lucene.util.SmallFloat;
import org.junit.jupiter.api.Test;

/** Our length byte encoding equals Lucene's SmallFloat.intToByte4 / byte4ToInt. */
class LengthNormTest {

    @Test
    void encodeAndDecodeEqualLucenesSmallFloat() {
        for (int length = 0; length < 100_000; length++) {
            assertEquals(SmallFloat.intToByte4(length), LengthNorm.encode(length), "length " + length);
        }
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            int length = random.nextInt(Integer.MAX_VALUE);
            assertEquals(SmallFloat.intToByte4(length), LengthNorm.encode(length), "length " + length);
        }
        assertEquals(SmallFloat.intToByte4(Integer.MAX_VALUE), LengthNorm.encode(Integer.MAX_VALUE));
        for (int b = 0; b < 256; b++) {
            assertEquals(SmallFloat.byte4ToInt((byte) b), LengthNorm.decode((byte) b), "byte " + b);
        }
    }
}
