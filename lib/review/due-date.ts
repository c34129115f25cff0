// Whether a follow-up's due date is already past on the organisation's calendar: such a follow-up is
// allowed (recording something that was due last week is honest), but it is overdue from the start,
// so the form says so before it is created.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The form's warning for a due date (YYYY-MM-DD) before `today` (YYYY-MM-DD, the organisation's today); null otherwise. */
export function pastDueDateWarning(dueDate: string, today: string): string | null {
  if (!ISO_DATE.test(dueDate) || !ISO_DATE.test(today) || dueDate >= today) return null;
  return `${dueDate} is in the past (today is ${today}): the follow-up will be overdue as soon as it is created.`;
}
