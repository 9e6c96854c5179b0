/**
 * What the builder publishes over MQTT after each build (README, "Home Assistant and MQTT"): today's
 * and this month's electricity, heat, COP and cost so far, the heating season's SPF so far, and one
 * `problem` binary sensor per alert condition (on while it is open, its message as an attribute).
 * Pure: the period reports and the open alerts in, entities and states out.
 */
import { CONDITION_NAMES, CONDITIONS } from "../../core/src/alerts/conditions.ts";
import type { OpenAlert } from "../../core/src/alerts/state.ts";
import type { MqttConfig } from "../../core/src/mqtt/config.ts";
import { type EntitySpec, numberState, OFF, ON } from "../../core/src/mqtt/discovery.ts";
import { stateTopic } from "../../core/src/mqtt/topics.ts";
import type { PeriodReport } from "../../reports/src/types.ts";

interface Figures {
  readonly today: PeriodReport;
  readonly month: PeriodReport;
  readonly season: PeriodReport;
}

type Span = "today" | "month";
const SPAN_NAME: Record<Span, string> = { today: "today", month: "this month" };

/** Energy so far in a period: it falls to 0 when the next one starts, which `total_increasing` reads as a new cycle. */
const energy = (object: string, name: string): EntitySpec => ({
  object,
  component: "sensor",
  name,
  deviceClass: "energy",
  stateClass: "total_increasing",
  unit: "kWh",
  precision: 1,
});
const ratio = (object: string, name: string): EntitySpec => ({
  object,
  component: "sensor",
  name,
  stateClass: "measurement",
  precision: 2,
});

/** The alert of a condition: its state topic under `<base>/<home>/alerts/`. */
const alertTopic = (c: MqttConfig, condition: string): string => stateTopic(c, `alerts/${condition}`);

/** The builder's entities; the cost ones only with a price (`currency`, as the reports set it). */
export function figureEntities(c: MqttConfig, currency: string | undefined): EntitySpec[] {
  const out: EntitySpec[] = [];
  for (const span of ["today", "month"] as const) {
    const when = SPAN_NAME[span];
    out.push(energy(`${span}_electricity`, `Electricity ${when}`));
    out.push(energy(`${span}_heat`, `Heat ${when}`));
    out.push(ratio(`${span}_cop`, `COP ${when}`));
    if (currency)
      out.push({
        object: `${span}_cost`,
        component: "sensor",
        name: `Cost ${when}`,
        deviceClass: "monetary",
        stateClass: "total",
        unit: currency,
        precision: 2,
      });
  }
  out.push(ratio("season_spf", "SPF this heating season"));
  for (const condition of CONDITION_NAMES)
    out.push({
      object: `alert_${condition}`,
      component: "binary_sensor",
      name: `Alert: ${CONDITIONS[condition].label}`,
      deviceClass: "problem",
      attributes: true,
      stateTopic: alertTopic(c, condition),
    });
  return out;
}

/** Each state topic with its payload: the figures, and every condition's alert with its attributes. */
export function figureStates(c: MqttConfig, f: Figures, open: readonly OpenAlert[]): Map<string, string> {
  const out = new Map<string, string>();
  const set = (object: string, v: string) => out.set(stateTopic(c, object), v);
  for (const span of ["today", "month"] as const) {
    const r = f[span];
    set(`${span}_electricity`, numberState(r.elec_kwh, 2));
    set(`${span}_heat`, numberState(r.heat_kwh, 2));
    set(`${span}_cop`, numberState(r.cop, 2));
    // With a standing charge the bill's figure (energy + charge), else the energy's.
    if (r.settings.currency) set(`${span}_cost`, numberState(r.cost_total ?? r.cost, 2));
  }
  set("season_spf", numberState(f.season.cop, 2));
  for (const condition of CONDITION_NAMES) {
    const a = open.find((x) => x.condition === condition);
    const topic = alertTopic(c, condition);
    out.set(topic, a ? ON : OFF);
    out.set(
      `${topic}/attributes`,
      JSON.stringify(
        a
          ? {
              message: a.message,
              title: a.title,
              severity: a.severity,
              since: new Date(a.openedMs).toISOString(),
            }
          : {},
      ),
    );
  }
  return out;
}
