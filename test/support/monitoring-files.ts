/**
 * The monitoring files as Grafana and Prometheus read them: the dashboard (docs/grafana/helpdesk-dashboard.json) and
 * the alert rules (docs/prometheus/alerts.yml), parsed and checked against their schemas.
 */
import fs from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

const ROOT = path.join(__dirname, "..", "..");
const DASHBOARD_FILE = path.join(ROOT, "docs", "grafana", "helpdesk-dashboard.json");
const ALERTS_FILE = path.join(ROOT, "docs", "prometheus", "alerts.yml");

const Target = z.object({ refId: z.string().min(1), expr: z.string().min(1), datasource: z.object({ type: z.literal("prometheus"), uid: z.string() }) });
const GridPos = z.object({ h: z.number().int().positive(), w: z.number().int().positive(), x: z.number().int().min(0), y: z.number().int().min(0) });
export interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type: string; uid: string };
  gridPos: z.infer<typeof GridPos>;
  targets?: z.infer<typeof Target>[];
  panels?: Panel[];
}
const PanelSchema: z.ZodType<Panel> = z.lazy(() =>
  z.object({
    id: z.number().int(),
    type: z.string(),
    title: z.string(),
    description: z.string().optional(),
    datasource: z.object({ type: z.string(), uid: z.string() }).optional(),
    gridPos: GridPos,
    targets: z.array(Target).optional(),
    panels: z.array(PanelSchema).optional(),
  }),
);
const DashboardSchema = z.object({
  __inputs: z.array(z.object({ name: z.string(), type: z.string(), pluginId: z.string() })),
  __requires: z.array(z.object({ type: z.string(), id: z.string(), version: z.string() })),
  uid: z.string().min(1),
  title: z.string(),
  schemaVersion: z.number().int(),
  time: z.object({ from: z.string(), to: z.string() }),
  panels: z.array(PanelSchema),
  templating: z.object({
    list: z.array(z.object({ name: z.string(), type: z.string(), datasource: z.object({ uid: z.string() }).optional(), definition: z.string().optional(), query: z.unknown() })),
  }),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

const RuleSchema = z
  .object({
    alert: z.string().regex(/^[A-Z][A-Za-z0-9]*$/),
    expr: z.string().min(1),
    for: z.string().regex(/^\d+[smhdwy]$/),
    labels: z.object({ severity: z.enum(["critical", "warning"]) }),
    annotations: z.object({ summary: z.string().min(1), description: z.string().min(1) }).strict(),
  })
  .strict();
const AlertsSchema = z.object({ groups: z.array(z.object({ name: z.string().min(1), rules: z.array(RuleSchema).min(1) }).strict()).min(1) }).strict();
export type Alerts = z.infer<typeof AlertsSchema>;

export function readDashboard(): Dashboard {
  const raw: unknown = JSON.parse(fs.readFileSync(DASHBOARD_FILE, "utf8"));
  return DashboardSchema.parse(raw);
}

export function readAlerts(): Alerts {
  const raw: unknown = parseYaml(fs.readFileSync(ALERTS_FILE, "utf8"));
  return AlertsSchema.parse(raw);
}

export function allPanels(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}
