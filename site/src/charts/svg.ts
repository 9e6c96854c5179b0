/**
 * The charts' SVG: a chart module's spec (ChartSpec) drawn by Observable Plot, with linkedom as its
 * document, into a static SVG string that a page inlines (the site ships no JavaScript). Plot draws
 * time scales in the process time zone, so the build runs in the report zone (REPORT_TZ).
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { escapeHtml } from "../lib/html.ts";
import type { ChartSpec } from "./common.ts";

let doc: Document | undefined;

function documentForPlot(): Document {
  doc ??= parseHTML("<!doctype html><html><head></head><body></body></html>").document as unknown as Document;
  return doc;
}

/**
 * Rounds coordinates to 0.1 units: invisible on screen, and it halves the size of the markup. Only
 * inside attributes: the text of a <title> ("COP 4.79") is a figure to read, not a coordinate.
 */
function roundNumbers(svg: string): string {
  return svg.replace(/="[^"]*"/g, (attr) => attr.replace(/(\d+\.\d)\d+/g, "$1"));
}

/** The chart as an SVG string (with a viewBox; it scales to the width of its container). */
export function chartSvg(spec: ChartSpec): string {
  const el = Plot.plot({ ...spec.options, document: documentForPlot() });
  const svg = el.outerHTML;
  // A title element gives the SVG an accessible name; the caption and the table say the rest.
  const titled = svg.replace(/^<svg([^>]*)>/, (_m, attrs: string) => {
    return `<svg${attrs} role="img" aria-label="${escapeHtml(spec.title)}">`;
  });
  return roundNumbers(titled);
}
