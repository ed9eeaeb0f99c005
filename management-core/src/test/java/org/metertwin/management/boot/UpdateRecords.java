package org.metertwin.management.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The update request and result records of docs/firmware-update.md, encoded and decoded from the document's
 * byte tables with the JDK's CRC-32 (the IEEE 802.3 one the bootloader computes).
 */
final class UpdateRecords {
    static final int REQUEST_ADDRESS = 0x1C_0000, CONFIRM_ADDRESS = 0x1C_1000, RESULT_ADDRESS = 0x1D_0000;
    /** The result log: two 4 KiB sectors of 64-byte records from RESULT_ADDRESS. */
    static final int RESULT_LOG_SIZE = 0x2000, RESULT_SIZE = 64;
    static final int DOWNLOAD_SLOT = 0x00_0000, BACKUP_SLOT = 0x0E_0000;
    static final String[] OUTCOMES = {"installed", "refused", "failed", "restored", "reverted"};

    private UpdateRecords() {
    }

    static byte[] request(int sequence) {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(0x5152_544D).putInt(sequence);
        return b.putInt(crc(b.array(), 8)).array();
    }

    /** The sequence number of a 12-byte numbered record (request, confirm) with this magic, or 0. */
    static int numbered(byte[] record, int magic) {
        ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
        return b.getInt(0) == magic && b.getInt(8) == crc(record, 8) ? b.getInt(4) : 0;
    }

    /** A result record as the bootloader wrote it. */
    record Result(int sequence, String outcome, int reasonCode, String version, int installedCounter, String reason) {
    }

    /** The record at the start of {@code bytes}, or null when its magic or CRC is wrong. */
    static Result result(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, 64).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x5352_544D || b.getInt(60) != crc(bytes, 60)) {
            return null;
        }
        int outcome = bytes[8] & 0xFF;
        String version = (bytes[12] & 0xFF) + "." + (bytes[13] & 0xFF) + "." + (b.getShort(14) & 0xFFFF) + "+"
                + Integer.toUnsignedString(b.getInt(16)) + " counter " + Integer.toUnsignedString(b.getInt(20));
        byte[] word = Arrays.copyOfRange(bytes, 28, 60);
        int end = 0;
        while (end < word.length && word[end] != 0) {
            end++;
        }
        return new Result(b.getInt(4), outcome < OUTCOMES.length ? OUTCOMES[outcome] : "?" + outcome,
                bytes[9] & 0xFF, version, b.getInt(24), new String(word, 0, end, StandardCharsets.US_ASCII));
    }

    /** A result record's own number in the log (bytes 10-11), or -1 when the record is not valid. */
    static int number(byte[] bytes) {
        return result(bytes) == null ? -1 : (bytes[10] & 0xFF) | (bytes[11] & 0xFF) << 8;
    }

    /** The valid records of a result log region, newest first (ordered by their 16-bit serial numbers). */
    static java.util.List<byte[]> log(byte[] region) {
        java.util.List<byte[]> records = new java.util.ArrayList<>();
        for (int at = 0; at + RESULT_SIZE <= region.length; at += RESULT_SIZE) {
            byte[] r = Arrays.copyOfRange(region, at, at + RESULT_SIZE);
            if (result(r) != null) {
                records.add(r);
            }
        }
        records.sort((a, b) -> (short) (number(b) - number(a)));
        return records;
    }

    /** A result record with the given fields (the candidate version 0.0.0+0 counter 0), as the bootloader encodes it. */
    static byte[] resultRecord(int number, int sequence, int outcome, String reason) {
        ByteBuffer b = ByteBuffer.allocate(RESULT_SIZE).order(ByteOrder.LITTLE_ENDIAN).putInt(0x5352_544D)
                .putInt(sequence).put((byte) outcome).put((byte) 0).putShort((short) number);
        b.position(28);
        b.put(reason.getBytes(StandardCharsets.US_ASCII));
        return b.putInt(60, crc(b.array(), 60)).array();
    }

    static int crc(byte[] data, int length) {
        CRC32 c = new CRC32();
        c.update(data, 0, length);
        return (int) c.getValue();
    }
}
