/** A validation failure of one input field, before it becomes a UserError at the API edge. */
export interface Problem {
  field: string;
  code: string;
  message: string;
}

/** Trims; a blank optional text is absent. */
export const optionalText = (value: string | null | undefined) => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

/** Length in characters (code points), as a person counts them. */
export const charCount = (value: string) => [...value].length;
