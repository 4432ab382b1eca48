/**
 * Grafana dashboards provisioned from the JSON files in ./dashboards, checked before they ship:
 * valid JSON, a unique uid, panels that name a provisioned data source, PromQL that parses.
 */
import { Problem } from "@platform/core";
import * as fs from "fs";
import * as path from "path";
import { promqlSyntaxErrors } from "./rules";
import { DATASOURCE_UIDS } from "./values";

const DASHBOARD_DIR = path.join(__dirname, "dashboards");

export interface DashboardFile {
  /** File name without `.json`, e.g. `cluster-overview`. */
  readonly name: string;
  readonly json: string;
}

export function readDashboards(dir = DASHBOARD_DIR): DashboardFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => ({
      name: f.replace(/\.json$/, ""),
      json: fs.readFileSync(path.join(dir, f), "utf8"),
    }));
}

interface Target {
  readonly refId?: string;
  readonly expr?: string;
  readonly datasource?: { readonly uid?: string };
}
interface Panel {
  readonly id?: number;
  readonly title?: string;
  readonly datasource?: { readonly type?: string; readonly uid?: string };
  readonly targets?: readonly Target[];
  readonly gridPos?: unknown;
}

export function validateDashboards(files: readonly DashboardFile[]): Problem[] {
  const problems: Problem[] = [];
  const known: readonly string[] = Object.values(DATASOURCE_UIDS);
  const uids = new Set<string>();
  for (const file of files) {
    const where = `dashboards/${file.name}.json`;
    let dashboard: { uid?: string; title?: string; panels?: Panel[] };
    try {
      dashboard = JSON.parse(file.json);
    } catch (error) {
      problems.push({ path: where, received: (error as Error).message, allowed: "be valid JSON" });
      continue;
    }
    if (typeof dashboard.uid !== "string" || !/^[a-zA-Z0-9-_]{1,40}$/.test(dashboard.uid)) {
      problems.push({
        path: `${where}.uid`,
        received: dashboard.uid,
        allowed: "be 1 to 40 letters, digits, - or _",
      });
    } else if (uids.has(dashboard.uid)) {
      problems.push({
        path: `${where}.uid`,
        received: dashboard.uid,
        allowed: "be unique across dashboards",
      });
    } else {
      uids.add(dashboard.uid);
    }
    if (typeof dashboard.title !== "string" || dashboard.title.length === 0) {
      problems.push({
        path: `${where}.title`,
        received: dashboard.title,
        allowed: "be a non-empty string",
      });
    }
    const panels = dashboard.panels ?? [];
    if (panels.length === 0) {
      problems.push({
        path: `${where}.panels`,
        received: panels,
        allowed: "contain at least one panel",
      });
    }
    panels.forEach((panel, i) => {
      const at = `${where}.panels[${i}] (${panel.title ?? "untitled"})`;
      const uid = panel.datasource?.uid;
      if (uid === undefined || !known.includes(uid)) {
        problems.push({
          path: `${at}.datasource.uid`,
          received: uid,
          allowed: `name a provisioned data source (${known.join(", ")})`,
        });
      }
      if (panel.gridPos === undefined) {
        problems.push({ path: `${at}.gridPos`, received: undefined, allowed: "be set" });
      }
      for (const target of panel.targets ?? []) {
        const targetUid = target.datasource?.uid ?? uid;
        if (targetUid === DATASOURCE_UIDS.prometheus && target.expr !== undefined) {
          for (const error of promqlSyntaxErrors(target.expr)) {
            problems.push({
              path: `${at}.targets[${target.refId}].expr`,
              received: target.expr,
              allowed: `parse as PromQL (${error})`,
            });
          }
        }
      }
    });
  }
  return problems;
}
