/**
 * How each pinned chart composes its images beyond `registry/repository:tag@digest`, keyed by the
 * chart's name as CHARTS pins it. Read from the charts' templates at their pinned tags (the source
 * of each entry says which); a chart without an entry composes each image from its own fields.
 */
import type { ChartImageRules } from "./manifest";

export const CHART_IMAGE_RULES: Readonly<Record<string, ChartImageRules>> = {};
