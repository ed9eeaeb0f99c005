package org.metertwin.scenario;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The five energies a scenario reports, in Wh, varh and VAh: active import (+A) and export (−A), reactive
 * import (quadrants I + II) and export (III + IV), apparent.
 */
@JsonPropertyOrder({"activeImportWh", "activeExportWh", "reactiveImportVarh", "reactiveExportVarh", "apparentVAh"})
public record Energies(double activeImportWh, double activeExportWh, double reactiveImportVarh,
                       double reactiveExportVarh, double apparentVAh) {
    /** The names used in reports and in {@code expect: - register:}, in report order. */
    public static final List<String> NAMES = List.of("activeImportWh", "activeExportWh", "reactiveImportVarh",
            "reactiveExportVarh", "apparentVAh");

    /** The energy called {@code name} (one of {@link #NAMES}). */
    public double get(String name) {
        return switch (name) {
            case "activeImportWh" -> activeImportWh;
            case "activeExportWh" -> activeExportWh;
            case "reactiveImportVarh" -> reactiveImportVarh;
            case "reactiveExportVarh" -> reactiveExportVarh;
            case "apparentVAh" -> apparentVAh;
            default -> throw new IllegalArgumentException("no energy called '" + name + "'");
        };
    }

    /**
     * From the metering core's seven registers in thousandths (DI 00.80.00.00: +A, −A, Q1, Q2, Q3, Q4, S).
     */
    public static Energies fromRegisters(long[] milli) {
        if (milli.length != 7) {
            throw new IllegalArgumentException("expected 7 registers, got " + milli.length);
        }
        return new Energies(milli[0] / 1000.0, milli[1] / 1000.0, (milli[2] + milli[3]) / 1000.0,
                (milli[4] + milli[5]) / 1000.0, milli[6] / 1000.0);
    }
}
