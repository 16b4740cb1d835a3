// Host configs that make the Adaptive Cards renderer draw cards the way Teams does (Segoe UI,
// Teams' type ramp, spacing and palette), in the light and the dark theme. Screenshots taken
// with them are what a reviewer compares with Teams; the assertions do not depend on colours.

const FONT = '"Segoe UI", "Segoe UI Web (West European)", -apple-system, BlinkMacSystemFont, Roboto, "Helvetica Neue", sans-serif';

interface Palette {
  background: string;
  emphasis: string;
  text: string;
  subtle: string;
  accent: string;
  good: string;
  warning: string;
  attention: string;
  separator: string;
}

const LIGHT: Palette = {
  background: '#FFFFFF', emphasis: '#F5F5F5', text: '#242424', subtle: '#616161', accent: '#5B5FC7',
  good: '#0E700E', warning: '#835C00', attention: '#C4314B', separator: '#E0E0E0',
};

const DARK: Palette = {
  background: '#292929', emphasis: '#1F1F1F', text: '#FFFFFF', subtle: '#ADADAD', accent: '#7F85F5',
  good: '#92C353', warning: '#F8D22A', attention: '#F9526B', separator: '#3D3D3D',
};

function colour(value: string, subtle = value): { default: string; subtle: string } {
  return { default: value, subtle };
}

function containerStyle(p: Palette, background: string) {
  return {
    backgroundColor: background,
    foregroundColors: {
      default: colour(p.text, p.subtle),
      dark: colour(p === DARK ? '#FFFFFF' : '#242424', p.subtle),
      light: colour(p === DARK ? '#242424' : '#FFFFFF', p.subtle),
      accent: colour(p.accent),
      good: colour(p.good),
      warning: colour(p.warning),
      attention: colour(p.attention),
    },
  };
}

function teamsHostConfig(p: Palette): Record<string, unknown> {
  return {
    supportsInteractivity: true,
    fontFamily: FONT,
    fontTypes: {
      default: { fontFamily: FONT, fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 }, fontWeights: { lighter: 200, default: 400, bolder: 600 } },
      monospace: { fontFamily: 'Consolas, "Courier New", monospace', fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 }, fontWeights: { lighter: 200, default: 400, bolder: 600 } },
    },
    spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
    separator: { lineThickness: 1, lineColor: p.separator },
    imageSizes: { small: 32, medium: 52, large: 100 },
    containerStyles: {
      default: containerStyle(p, p.background),
      emphasis: containerStyle(p, p.emphasis),
      accent: containerStyle(p, p.emphasis),
      good: containerStyle(p, p.emphasis),
      attention: containerStyle(p, p.emphasis),
      warning: containerStyle(p, p.emphasis),
    },
    // Teams shows up to six buttons in a row and opens Action.ShowCard inline, under the buttons.
    actions: {
      maxActions: 6, spacing: 'default', buttonSpacing: 8, actionsOrientation: 'horizontal', actionAlignment: 'left',
      showCard: { actionMode: 'inline', inlineTopMargin: 16, style: 'emphasis' }, iconPlacement: 'leftOfTitle', iconSize: 16,
    },
    adaptiveCard: { allowCustomStyle: true },
    factSet: {
      title: { color: 'default', size: 'default', isSubtle: false, weight: 'bolder', wrap: true, maxWidth: 150 },
      value: { color: 'default', size: 'default', isSubtle: false, weight: 'default', wrap: true },
      spacing: 12,
    },
    textBlock: { headingLevel: 2 },
    inputs: {
      label: {
        inputSpacing: 'small',
        requiredInputs: { weight: 'bolder', suffix: ' *', suffixColor: 'attention' },
        optionalInputs: { weight: 'bolder' },
      },
      errorMessage: { size: 'small', color: 'attention' },
    },
  };
}

export interface Theme {
  name: 'light' | 'dark';
  hostConfig: Record<string, unknown>;
  /** The page around the card: Teams' chat background and a message bubble of the card's width. */
  pageCss: string;
}

function pageCss(p: Palette, chat: string, border: string): string {
  return `
    body { margin: 0; padding: 16px; background: ${chat}; font-family: ${FONT}; }
    #card { width: 440px; border: 1px solid ${border}; border-radius: 4px; overflow: hidden; background: ${p.background}; }
    .ac-pushButton { font-family: ${FONT}; font-size: 14px; font-weight: 600; padding: 5px 12px; min-height: 32px; border-radius: 4px;
      border: 1px solid ${p === DARK ? '#666666' : '#D1D1D1'}; background: ${p.background}; color: ${p.text}; cursor: pointer; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
    .ac-pushButton.style-positive { background: ${p.accent}; border-color: ${p.accent}; color: #FFFFFF; }
    .ac-pushButton.style-destructive { color: ${p.attention}; border-color: ${p.attention}; }
    .ac-pushButton.expanded { background: ${p.emphasis}; }
    .ac-input { font-family: ${FONT}; font-size: 14px; color: ${p.text}; }
    input.ac-textInput, textarea.ac-textInput, select.ac-input, input.ac-input[list] {
      background: ${p === DARK ? '#1F1F1F' : '#FFFFFF'}; color: ${p.text}; border: 1px solid ${p === DARK ? '#666666' : '#D1D1D1'}; border-radius: 4px; padding: 5px 8px; }
    a { color: ${p.accent}; }
    .ac-input.ac-textInput.ac-multiline { min-height: 64px; }
    .ac-input-validation-failed { border-color: ${p.attention} !important; }
    .ac-selectable { cursor: pointer; }
    .ac-selectable:hover { background: ${p.emphasis}; }
    label, .ac-input label { color: ${p.text}; }
  `;
}

export const THEMES: readonly Theme[] = [
  { name: 'light', hostConfig: teamsHostConfig(LIGHT), pageCss: pageCss(LIGHT, '#F5F5F5', '#E0E0E0') },
  { name: 'dark', hostConfig: teamsHostConfig(DARK), pageCss: pageCss(DARK, '#1F1F1F', '#3D3D3D') },
];
