/**
 * A string literal for an OData `$filter`: wrapped in single quotes, with every quote inside doubled, as the OData
 * rules (and Microsoft Graph) read it. Whatever the value holds, it stays one literal and cannot change the query.
 */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
