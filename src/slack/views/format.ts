// Small, shared wording for views.
export const BAND_EMOJI = {
  green: ":large_green_circle:",
  yellow: ":large_yellow_circle:",
  red: ":red_circle:",
} as const;

export function formatMoney(amount: string | number, currency: string): string {
  const n = typeof amount === "string" ? Number(amount) : amount;
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency, maximumFractionDigits: 0 }).format(n);
  } catch {
    return `${Math.round(n).toLocaleString("en-US")} ${currency}`;
  }
}

export function formatDay(day: Date | null | undefined): string {
  if (!day) return "—";
  return day.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

export function signed(n: number | null): string {
  if (n === null) return "n/a";
  return n > 0 ? `+${n}` : String(n);
}

export function humanise(enumValue: string): string {
  const map: Record<string, string> = { qbr: "QBR", end_user: "end user", support_escalation: "support escalation" };
  return map[enumValue] ?? enumValue.replace(/_/g, " ");
}

export function stageName(stage: string): string {
  return stage.charAt(0).toUpperCase() + stage.slice(1);
}
