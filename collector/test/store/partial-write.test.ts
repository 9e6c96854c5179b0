import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../../core/src/effects.ts";
import { createPartialWrites, hasConflict, parsePartialWrite } from "../../src/store/partial-write.ts";

/**
 * InfluxDB 2's 422 messages, built the way its source builds them (influxdata/influxdb, branch 2.7,
 * tag v2.7.12): http/write_handler.go answers a tsdb.PartialWriteError with code "unprocessable
 * entity" and the message "failure writing points to database: " + the error; tsdb/shard.go's
 * PartialWriteError.Error() is "partial write: <reason> dropped=<n>", followed by " for database:
 * <id> for retention policy: <rp>" when those are set.
 */
const MESSAGES = {
  /**
   * tsdb/field_validator.go: "%s: input field %q on measurement %q is type %s, already exists as
   * type %s" with ErrFieldTypeConflict ("field type conflict"); the same shape is quoted from a
   * Telegraf log of a 2.x server ("... 422 Unprocessable Entity): unprocessable entity: failure
   * writing points to database: partial write: field type conflict: input field \"longitude\" on
   * measurement \"device_metric\" is type float, already exists as type string dropped=1224").
   */
  conflict:
    'failure writing points to database: partial write: field type conflict: input field "power_w" on ' +
    'measurement "electric" is type float, already exists as type integer dropped=3',
  /** v1/coordinator/points_writer.go up to v2.7.11: Reason "points beyond retention policy". */
  retentionUpTo2711:
    "failure writing points to database: partial write: points beyond retention policy dropped=12",
  /**
   * v2.7.12, v1/coordinator/points_writer.go: ShardMapping.SummariseDropped() ("dropped %d points
   * outside retention policy of duration %s - oldest %s, newest %s", each DroppedPoint as "point
   * <series key> at <RFC3339Nano> dropped because it violates a Retention Policy Lower Bound at
   * <bound>"), with Database and RetentionPolicy set; a 2.7.12 server's answer of this shape was
   * seen in a user's import log (X-Influxdb-Version v2.7.12, "dropped=350 for database: ...").
   */
  retention2712:
    "failure writing points to database: partial write: dropped 2 points outside retention policy of " +
    "duration 72h0m0s - oldest point electric,device=shellypro3em-c8f09e878a5c at 2026-11-20T03:50:00Z " +
    "dropped because it violates a Retention Policy Lower Bound at 2026-11-24T09:04:10.7684903Z, newest " +
    "point electric,device=shellypro3em-c8f09e878a5c at 2026-11-20T03:50:05Z dropped because it violates " +
    "a Retention Policy Lower Bound at 2026-11-24T09:04:10.7684903Z dropped=2 for database: " +
    "610c26001281c704 for retention policy: autogen",
  /** tsdb/field_validator.go: a field named "time" is stripped; the point is stored (dropped=0). */
  timeStripped:
    'failure writing points to database: partial write: invalid field name: input field "time" on ' +
    'measurement "electric" is invalid. Field "time" has been stripped from point. dropped=0',
};

const electric = (i: number, power: string) =>
  `electric,device=shellypro3em-c8f09e878a5c power_w=${power},energy_wh=${5_415_000 + i} ${1795751400 + i}000000000`;
const health = (i: number) =>
  `collector,source=shelly polls_ok=${i + 1},polls_failed=0 ${1795751400 + i}000000000`;

function partialWrites() {
  const logger = memoryLogger();
  const pw = createPartialWrites({
    logger,
    where: "InfluxDB at http://influx:8086",
    rejectedDir: "/j/rejected",
  });
  return { pw, logger, errors: () => logger.lines.filter((l) => / error /.test(l)) };
}

describe("InfluxDB's partial write (422)", () => {
  it("reads each message: reason, dropped=N, the conflicting field, one cause for both retention wordings", () => {
    expect(parsePartialWrite(MESSAGES.conflict)).toEqual({
      reason:
        'field type conflict: input field "power_w" on measurement "electric" is type float, ' +
        "already exists as type integer",
      dropped: 3,
      conflict: { measurement: "electric", field: "power_w", inputType: "float", existingType: "integer" },
      cause: 'field type conflict ["electric","power_w","float"]',
    });
    expect(parsePartialWrite(MESSAGES.retentionUpTo2711)).toEqual({
      reason: "points beyond retention policy",
      dropped: 12,
      conflict: undefined,
      cause: "retention",
    });
    const r = parsePartialWrite(MESSAGES.retention2712);
    expect([r.dropped, r.conflict, r.cause]).toEqual([2, undefined, "retention"]);
    expect(r.reason).toMatch(/^dropped 2 points outside retention policy of duration 72h0m0s - oldest point/);
    expect(parsePartialWrite(MESSAGES.timeStripped)).toMatchObject({ dropped: 0, conflict: undefined });
    // Not InfluxDB's words (a proxy's 422): no count, the whole text is the reason.
    expect(parsePartialWrite("Unprocessable Entity")).toEqual({
      reason: "Unprocessable Entity",
      dropped: undefined,
      conflict: undefined,
      cause: "Unprocessable Entity",
    });
  });

  it("a conflict names the lines with that field of the refused type, on that measurement only", () => {
    const c = parsePartialWrite(MESSAGES.conflict).conflict!;
    expect(hasConflict(electric(0, "1000.5"), c)).toBe(true);
    expect(hasConflict(electric(0, '"n/a"'), c)).toBe(false); // a string: another conflict, not this one
    expect(hasConflict("heatpump,device=x power_w=1 1795751400000000000", c)).toBe(false);
    expect(hasConflict(health(0), c)).toBe(false);
    expect(hasConflict("electric power_w=abc 1", c)).toBe(false); // malformed: InfluxDB's 400
  });

  it("type conflict: exactly the named lines go aside, and later lines with that field before sending", () => {
    const { pw, errors } = partialWrites();
    const sent = [electric(0, "1"), health(0), electric(1, "2"), health(1), electric(2, "3")];
    expect(pw.answered(sent, MESSAGES.conflict)).toEqual([
      {
        why: `InfluxDB answered HTTP 422: ${MESSAGES.conflict}`,
        lines: [electric(0, "1"), electric(1, "2"), electric(2, "3")],
        refused: 3,
      },
    ]); // dropped=3 = the 3 named lines: nothing is left unaccounted, no partial file
    expect(pw.conflicts()).toEqual([
      { measurement: "electric", field: "power_w", inputType: "float", existingType: "integer" },
    ]);
    expect(pw.split([health(3), electric(3, "4"), health(4)])).toEqual({
      aside: [
        {
          why: `not sent: InfluxDB refused this field earlier in this run (HTTP 422: ${MESSAGES.conflict})`,
          lines: [electric(3, "4")],
          refused: 1,
        },
      ],
      rest: [health(3), health(4)],
    });
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toContain(
      "InfluxDB at http://influx:8086 stored a write but dropped 3 points (HTTP 422: failure writing points to " +
        'database: partial write: field type conflict: input field "power_w" on measurement "electric" is type ' +
        'float, already exists as type integer dropped=3); the 3 lines with field "power_w" on "electric" as ' +
        "float (InfluxDB has it as integer) go to /j/rejected, and until a restart such lines are set aside " +
        "there without being sent. Delete the points of the other type (or wait for a new shard group) and " +
        "restart the collector",
    );
  });

  it("more points dropped than the conflict names: the other lines are kept too, marked partial", () => {
    const { pw } = partialWrites();
    const message = MESSAGES.conflict.replace("dropped=3", "dropped=4");
    const parts = pw.answered([electric(0, "1"), health(0), health(1)], message);
    expect(parts.map((p) => [p.lines, p.refused, p.partial])).toEqual([
      [[electric(0, "1")], 1, undefined],
      [[health(0), health(1)], 2, true], // 4 dropped, 1 named: at most 2 of these 2
    ]);
    expect(parts[1]!.why).toBe(
      "partial write: InfluxDB stored the other points of these lines and dropped 2 without naming them; " +
        `not sent again. It answered HTTP 422: ${message}`,
    );
  });

  it("retention, in both wordings: all lines sent kept as one partial part; logged once with dropped=N", () => {
    const { pw, logger, errors } = partialWrites();
    const sent = [electric(0, "1"), electric(1, "2"), health(1)];
    const parts = pw.answered(sent, MESSAGES.retention2712);
    expect(parts).toEqual([
      {
        why:
          "partial write: InfluxDB stored the other points of these lines and dropped 2 without naming them; " +
          `not sent again. It answered HTTP 422: ${MESSAGES.retention2712}`,
        lines: sent,
        partial: true,
        refused: 2,
      },
    ]);
    expect(pw.answered([health(5)], MESSAGES.retentionUpTo2711)).toMatchObject([
      { lines: [health(5)], partial: true, refused: 1 }, // dropped=12 of 1 line sent: 1
    ]);
    expect(pw.conflicts()).toEqual([]);
    expect(pw.split([electric(3, "4")]).rest).toEqual([electric(3, "4")]); // nothing learnt
    expect(errors()).toHaveLength(1); // one cause (retention), two answers
    // The message as far as a log line shows it (300 characters), with the count read from its end.
    expect(errors()[0]).toContain(
      "stored a write but dropped 2 points (HTTP 422: failure writing points to database: partial write: " +
        "dropped 2 points outside retention policy of duration 72h0m0s - oldest point",
    );
    expect(errors()[0]).toMatch(
      /; it names no line, so the 3 lines sent are kept in \/j\/rejected as a partial write/,
    );
    expect(errors()[0]).toMatch(/ \(their other points are stored\) and not sent again\. Points older than /);
    expect(errors()[0]).toMatch(
      /the bucket's retention cannot be stored; lengthen it to keep such a backlog$/,
    );
    expect(logger.lines.filter((l) => / debug /.test(l) && l.includes("dropped 12 points"))).toHaveLength(1);
  });

  it("a 422 without dropped=N (not InfluxDB's) counts every line sent; dropped=0 counts none", () => {
    const { pw, errors } = partialWrites();
    expect(pw.answered([health(0), health(1)], "Unprocessable Entity")).toMatchObject([
      { lines: [health(0), health(1)], partial: true, refused: 2 },
    ]);
    expect(pw.answered([electric(0, "1")], MESSAGES.timeStripped)).toMatchObject([
      { lines: [electric(0, "1")], partial: true, refused: 0 },
    ]);
    expect(errors()).toHaveLength(2); // two distinct causes
  });
});
