package org.metertwin.scenario;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** An evaluated expectation, as the report lists it; {@code tolerance} is absolute. */
@JsonPropertyOrder({"what", "expected", "actual", "tolerance", "pass"})
public record ExpectationResult(String what, double expected, double actual, double tolerance, boolean pass) {
}
