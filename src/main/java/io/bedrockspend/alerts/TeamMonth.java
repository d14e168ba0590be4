package io.bedrockspend.alerts;

import java.math.BigDecimal;

/** The newest month-to-date of one team, as the job-wide rules keep it. */
public class TeamMonth {
    public long monthStart;
    public long version = Long.MIN_VALUE;
    public BigDecimal costUsd = BigDecimal.ZERO;

    public TeamMonth() {}
}
