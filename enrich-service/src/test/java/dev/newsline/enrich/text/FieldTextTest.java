package dev.newsline.enrich.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsline.model.TextField;
import org.junit.jupiter.api.Test;

class FieldTextTest {

    @Test
    void shouldAnalyseAVeryLongSentenceInPiecesAndKeepEveryToken() {
        String line = "Ada Quill, ".repeat(300) + "and friends";

        FieldText text = FieldText.of(TextField.title, line);

        assertThat(text.tokens()).hasSize(902);
        assertThat(text.sentences()).hasSize(4).allSatisfy(s ->
                assertThat(s.endToken() - s.firstToken()).isLessThanOrEqualTo(FieldText.MAX_SENTENCE_TOKENS));
        assertThat(text.sentences().get(1).firstToken()).isEqualTo(FieldText.MAX_SENTENCE_TOKENS);
        assertThat(text.span(0, text.tokens().size())).isEqualTo(line);
        for (int i = 0; i < text.sentences().size(); i++) {
            assertThat(text.coreLabels(i)).hasSize(text.sentences().get(i).endToken() - text.sentences().get(i).firstToken());
        }
    }

    @Test
    void shouldKeepOrdinarySentencesWhole() {
        FieldText text = FieldText.of(TextField.body, "Mayor Clara Hoff opened the bridge. The council met on Monday.");

        assertThat(text.sentences()).hasSize(2);
    }
}
