/** How spec names (snake_case) become TypeScript names; loaders and every emitter must agree. */

/** Converts `snake_case` to `camelCase`. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** Converts `snake_case` to `PascalCase`. */
export function pascalCase(name: string): string {
  const camel = camelCase(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}
