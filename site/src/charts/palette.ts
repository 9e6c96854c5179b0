/**
 * One colour per quantity on every page. Charts paint with CSS variables (`var(--c-heat)`), so the
 * page's stylesheet picks the light or dark shade with `prefers-color-scheme` and no JavaScript.
 */
export const QUANTITIES = {
  elec: { label: "Electricity", light: "#e67700", dark: "#ffb340" },
  heat: { label: "Heat", light: "#c92a2a", dark: "#ff8787" },
  heating: { label: "Space heating", light: "#862e9c", dark: "#da77f2" },
  dhw: { label: "Hot water", light: "#1971c2", dark: "#74c0fc" },
  outside: { label: "Outside", light: "#2f9e44", dark: "#8ce99a" },
  flow: { label: "Flow", light: "#d6336c", dark: "#faa2c1" },
  return: { label: "Return", light: "#7048e8", dark: "#b197fc" },
  cop: { label: "COP", light: "#0c8599", dark: "#66d9e8" },
  cop_vendor: { label: "COP (heat pump's estimate)", light: "#868e96", dark: "#adb5bd" },
  curve: { label: "Configured heating curve", light: "#495057", dark: "#ced4da" },
  defrost: { label: "Defrost", light: "#4263eb", dark: "#91a7ff" },
  backup: { label: "Backup heater", light: "#8b5a2b", dark: "#e0a872" },
  cooling: { label: "Cooling", light: "#1098ad", dark: "#3bc9db" },
  flow_rate: { label: "Flow rate", light: "#5c940d", dark: "#a9e34b" },
  delta_t: { label: "Flow − return", light: "#c2255c", dark: "#f783ac" },
  compressor: { label: "Compressor speed", light: "#087f5b", dark: "#63e6be" },
} as const;

export type Quantity = keyof typeof QUANTITIES;

export const colour = (q: Quantity): string => `var(--c-${q.replace("_", "-")})`;

/** CSS custom properties for both schemes, for the page stylesheet. */
export function paletteCss(): string {
  const vars = (scheme: "light" | "dark") =>
    Object.entries(QUANTITIES)
      .map(([q, c]) => `--c-${q.replace("_", "-")}:${c[scheme]};`)
      .join("");
  // Print always uses the light shades: paper is white whatever the screen's scheme.
  return (
    `:root{${vars("light")}}@media (prefers-color-scheme: dark){:root{${vars("dark")}}}@media ` +
    `print{:root{${vars("light")}}}`
  );
}
