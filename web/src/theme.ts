import { createTheme, type MantineColorsTuple } from '@mantine/core';

// WhatsApp-adjacent green, a little deeper so text on it stays readable.
const chorus: MantineColorsTuple = [
  '#e6fcf3', '#d3f5e6', '#a8e9cc', '#79ddb0', '#52d398', '#39cc89', '#29c880', '#18b06d', '#079c5f', '#00874f',
];

export const theme = createTheme({
  primaryColor: 'chorus',
  primaryShade: 8,
  colors: { chorus },
  defaultRadius: 'md',
  fontFamily: 'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
  components: {
    Table: { defaultProps: { verticalSpacing: 'sm', horizontalSpacing: 'md' } },
    Badge: { defaultProps: { radius: 'sm', tt: 'none', fw: 600 } },
    Paper: { defaultProps: { radius: 'md' } },
  },
});
