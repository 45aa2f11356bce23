/** Working-hours schedules: what the database area and the FinOps area's after-hours setting both use. */

const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"] as const;

/**
 * The Autonomous Database's scheduled operations for working hours: started and stopped at the
 * given UTC times Monday to Friday; Saturday and Sunday have no start, so Friday's stop holds
 * through the weekend. (OCI takes all seven days as entries, times "HH:mm" UTC.)
 */
export function adbScheduledOperations(hours: {
  readonly startUtc: string;
  readonly stopUtc: string;
}): { dayOfWeek: { name: string }; scheduledStartTime?: string; scheduledStopTime?: string }[] {
  return [
    ...WEEKDAYS.map((name) => ({
      dayOfWeek: { name },
      scheduledStartTime: hours.startUtc,
      scheduledStopTime: hours.stopUtc,
    })),
    { dayOfWeek: { name: "SATURDAY" } },
    { dayOfWeek: { name: "SUNDAY" } },
  ];
}
