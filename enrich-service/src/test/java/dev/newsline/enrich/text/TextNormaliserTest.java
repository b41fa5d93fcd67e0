package dev.newsline.enrich.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextNormaliserTest {

    @Test
    void shouldRemoveControlCharactersFromPlainTextAndKeepLineBreaksAndTabs() {
        assertThat(TextNormaliser.body("Mayor Clara Hoff\u0000 opened\u0001 the bridge\u007f\u0085.\nSecond\tline\r\nthird\u001b[2J"))
                .isEqualTo("Mayor Clara Hoff opened the bridge.\nSecond\tline\r\nthird[2J");
    }

    @Test
    void shouldRemoveControlCharactersFromHtmlIncludingCharacterReferences() {
        assertThat(TextNormaliser.body("<p>Bell\u0007 rings</p><p>escape&#x1b;[31m red</p>"))
                .isEqualTo("Bell rings\n\nescape[31m red");
    }

    @Test
    void shouldRemoveControlCharactersFromTitles() {
        assertThat(TextNormaliser.title("Null\u0000 bytes &amp; a bell\u0007")).isEqualTo("Null bytes & a bell");
        assertThat(TextNormaliser.withoutControls(null)).isNull();
    }

    @Test
    void shouldKeepBidiFormattingAndNonLatinText() {
        String text = "Invoice \u202Efdp.exe\u202C, \u2067isolated\u2069, \u05E2\u05D1\u05E8\u05D9\u05EA \u0627\u0644\u0639\u0631\u0628\u064A\u0629";
        assertThat(TextNormaliser.body(text)).isEqualTo(text);
        assertThat(TextNormaliser.title(text)).isEqualTo(text);
    }
}
