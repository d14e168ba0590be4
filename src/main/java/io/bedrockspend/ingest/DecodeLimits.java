package io.bedrockspend.ingest;

import java.io.Serializable;

/** Safety caps for decoding untrusted input. Immutable; use the {@code with...} copies to change one value. */
public final class DecodeLimits implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024;
    public static final long DEFAULT_MAX_DECOMPRESSED_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_NESTING_DEPTH = 64;
    public static final long DEFAULT_MAX_TOKEN_COUNT = 100_000_000L;

    /** Largest framed record (raw bytes as delivered, or one JSON value of a file). */
    public final int maxRecordBytes;
    /** Largest decompressed size of one gzip payload (gzip-bomb cap). */
    public final long maxDecompressedBytes;
    /** Deepest JSON nesting accepted. */
    public final int maxNestingDepth;
    /** Largest plausible token count of one kind in one call. */
    public final long maxTokenCount;

    public DecodeLimits(int maxRecordBytes, long maxDecompressedBytes, int maxNestingDepth, long maxTokenCount) {
        if (maxRecordBytes <= 0 || maxDecompressedBytes <= 0 || maxNestingDepth <= 0 || maxTokenCount <= 0) {
            throw new IllegalArgumentException("decode limits must be positive");
        }
        this.maxRecordBytes = maxRecordBytes;
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.maxNestingDepth = maxNestingDepth;
        this.maxTokenCount = maxTokenCount;
    }

    public static DecodeLimits defaults() {
        return new DecodeLimits(DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_DECOMPRESSED_BYTES,
                DEFAULT_MAX_NESTING_DEPTH, DEFAULT_MAX_TOKEN_COUNT);
    }

    public DecodeLimits withMaxRecordBytes(int v) {
        return new DecodeLimits(v, maxDecompressedBytes, maxNestingDepth, maxTokenCount);
    }

    public DecodeLimits withMaxDecompressedBytes(long v) {
        return new DecodeLimits(maxRecordBytes, v, maxNestingDepth, maxTokenCount);
    }

    public DecodeLimits withMaxNestingDepth(int v) {
        return new DecodeLimits(maxRecordBytes, maxDecompressedBytes, v, maxTokenCount);
    }

    public DecodeLimits withMaxTokenCount(long v) {
        return new DecodeLimits(maxRecordBytes, maxDecompressedBytes, maxNestingDepth, v);
    }

    @Override
    public String toString() {
        return "DecodeLimits{maxRecordBytes=" + maxRecordBytes + ", maxDecompressedBytes=" + maxDecompressedBytes
                + ", maxNestingDepth=" + maxNestingDepth + ", maxTokenCount=" + maxTokenCount + '}';
    }
}
